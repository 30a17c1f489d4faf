// Faults the simulated cluster can suffer. St and Nt are the paper's two (Table 2): St, a
// service program problem recovered by restarting the server; Nt, the server shut down.
import type { World } from './world/world.ts';

export type FaultType = 'St' | 'Nt';

export interface Fault {
  server: string;
  type: FaultType;
  /** atUs is the fault time relative to the first monitoring tick (t = 0). */
  atUs: number;
}

export const FAULT_TYPES: readonly FaultType[] = ['St', 'Nt'];

/** injectFault applies one fault to the world now. */
export function injectFault(world: World, fault: Fault): void {
  const s = world.server(fault.server);
  world.trace.record(world.kernel.nowUs, s.name, `fault ${fault.type}`);
  switch (fault.type) {
    case 'St':
      if (s.power !== 'on') return;
      s.serviceBroken = true;
      world.changed();
      return;
    case 'Nt':
      if (s.power === 'off') return;
      world.powerOff(s);
      return;
  }
}
