// Faults the simulated cluster can suffer. St and Nt are the paper's two (Table 2): St, a
// service program problem recovered by restarting the server; Nt, the server shut down. The
// others let property-based exploration go beyond the paper: an operator's repair, loss or
// delay of SEM records on the management network, a server cut off one of the two networks
// (Fig. 13 has a service switch and a management switch), a clock that chrony no longer keeps
// in step, and a host with no room left for a virtual server.
import type { World } from './world.ts';

export type FaultType =
  | 'St'
  | 'Nt'
  | 'Repair'
  | 'SemLoss'
  | 'SemDelay'
  | 'ServicePartition'
  | 'ManagementPartition'
  | 'ClockOff'
  | 'NoCapacity';

export interface Fault {
  server: string;
  type: FaultType;
  /** atUs is the fault time relative to the first monitoring tick (t = 0). */
  atUs: number;
  /** durationUs: how long a window fault (SemLoss, SemDelay, partitions) lasts. */
  durationUs?: number;
  /** delayUs: the extra delay of each SEM record during a SemDelay window. */
  delayUs?: number;
  /** offsetUs: how far the clock is off after ClockOff (positive: ahead). */
  offsetUs?: number;
}

export const FAULT_TYPES: readonly FaultType[] = [
  'St',
  'Nt',
  'Repair',
  'SemLoss',
  'SemDelay',
  'ServicePartition',
  'ManagementPartition',
  'ClockOff',
  'NoCapacity',
];

/** PaperFaultType names the two faults of the paper's experiments (Table 2). */
export type PaperFaultType = 'St' | 'Nt';

/** PAPER_FAULT_TYPES are the two faults of the paper's experiments. */
export const PAPER_FAULT_TYPES: readonly PaperFaultType[] = ['St', 'Nt'];

/** WINDOW_FAULT_TYPES need a duration. */
export const WINDOW_FAULT_TYPES: readonly FaultType[] = ['SemLoss', 'SemDelay', 'ServicePartition', 'ManagementPartition'];

/** describeFault is a short human form: "Nt FTP at 5 s". */
export function describeFault(f: Fault): string {
  const s = (us: number | undefined): string => `${(us ?? 0) / 1e6}`;
  const extra =
    f.type === 'ClockOff' ? ` by ${s(f.offsetUs)} s` : f.durationUs !== undefined ? ` for ${s(f.durationUs)} s${f.type === 'SemDelay' ? ` (+${s(f.delayUs)} s)` : ''}` : '';
  return `${f.type} ${f.server} at ${s(f.atUs)} s${extra}`;
}

/** injectFault applies one fault to the world now; window faults also schedule their end. */
export function injectFault(world: World, fault: Fault): void {
  const s = world.server(fault.server);
  world.trace.record(world.kernel.nowUs, s.name, `fault ${fault.type}`);
  const endUs = world.kernel.nowUs + (fault.durationUs ?? 0);
  switch (fault.type) {
    case 'St':
      if (s.power !== 'on') return;
      s.serviceBroken = true;
      return world.changed(s);
    case 'Nt':
      if (s.power === 'off') return;
      return world.powerOff(s);
    case 'Repair':
      if (s.power === 'off') return world.boot(s);
      s.serviceBroken = false;
      return world.changed(s);
    case 'SemLoss':
    case 'SemDelay':
      world.network.addSemWindow({ server: s.name, fromUs: world.kernel.nowUs, toUs: endUs, delayUs: fault.type === 'SemLoss' ? null : (fault.delayUs ?? 0) });
      return;
    case 'ServicePartition':
    case 'ManagementPartition': {
      const link = fault.type === 'ServicePartition' ? 'serviceLinkUp' : 'managementLinkUp';
      s[link] = false;
      if (fault.type === 'ManagementPartition') world.network.cut(s.name, endUs);
      world.changed(s);
      world.kernel.at(endUs, () => {
        world.trace.record(world.kernel.nowUs, s.name, `heal ${fault.type}`);
        s[link] = true;
        world.changed(s);
      });
      return;
    }
    case 'ClockOff':
      return world.setClockOffset(s, fault.offsetUs ?? 0);
    case 'NoCapacity':
      s.vmCapacity = 0;
      return;
  }
}
