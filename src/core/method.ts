// The two management methods a server can run: the paper's ring method (Sec. 2.2(b)) and the
// P2P method it is compared with (Sec. 2.3). createNode is the one place either program is
// built, so the simulator, the agent and the tests make the same program from the same setup.
import type { HostSpec } from './model/load.ts';
import type { Params } from './model/params.ts';
import { P2pNode } from './p2p/node.ts';
import type { TimeSlot } from './program/time-cells.ts';
import type { Hardening } from './program/hardening.ts';
import type { ProtocolNode } from './program/ports.ts';
import type { RingMechanism } from './ring/mechanisms.ts';
import { RingNode } from './ring/node.ts';

/** Method names a management method: the ring or the P2P baseline. */
export type Method = 'ring' | 'p2p';

/** METHODS lists the methods in report order (ring first, as the paper's tables). */
export const METHODS: readonly Method[] = ['ring', 'p2p'];

/** isMethod tells whether text names a method. */
export function isMethod(text: string): text is Method {
  return (METHODS as readonly string[]).includes(text);
}

/** NodeSetup is what a server's management program is made from. */
export interface NodeSetup {
  name: string;
  params: Params;
  spec: HostSpec;
  vmCapacity: number;
  /** disabled switches ring mechanisms off (an ablation, mechanisms.ts); the P2P method has none to switch. */
  disabled: readonly RingMechanism[];
  /** hardening switches extensions of the hardened ring on (program/hardening.ts); the P2P method stays the paper's. */
  hardening: readonly Hardening[];
  /** times are the program's time cells in its host's array (time-cells.ts); a program of its own without. */
  times?: TimeSlot;
}

/** createNode makes the management program of one server for a method. */
export function createNode(method: Method, s: NodeSetup): ProtocolNode {
  switch (method) {
    case 'ring':
      return new RingNode(s.name, s.params, s.spec, s.vmCapacity, s.disabled, s.hardening, s.times);
    case 'p2p':
      return new P2pNode(s.name, s.params, s.spec, s.vmCapacity, [], s.times);
  }
}
