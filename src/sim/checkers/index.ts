// The checkers every simulated run carries (docs/architecture.md "Checking"): safety at every change, SEM
// agreement once an interval, liveness at the end.
import type { SystemLogLine } from '../../core/program/log-events.ts';
import type { World } from '../world/world.ts';
import type { WorldChange } from '../world/world-change.ts';
import { LivenessChecker } from './liveness.ts';
import { SafetyChecker } from './safety.ts';
import { SemAgreementChecker } from './sem-agreement.ts';
import type { Checker, Violation } from './violation.ts';
import { ViolationLog } from './violation.ts';

export type { Violation } from './violation.ts';
export { FUNCTION_SERVED, MANAGED_ONCE, RECOVERY_ENDED, VIP_BACK } from './liveness.ts';
export { NO_STALE_VIRTUAL_SERVER, SINGLE_VIRTUAL_SERVER, VIP_UNIQUE } from './safety.ts';
export { SEM_AGREEMENT } from './sem-agreement.ts';

/**
 * PROTOCOL_ASSERTION is broken when a management program reaches a state it asserts never
 * happens (src/core/program/assert.ts): the run ends there, with its seed.
 */
export const PROTOCOL_ASSERTION = 'protocol-assertion';

export const INVARIANTS = [
  'vip-unique',
  'single-virtual-server',
  'no-stale-virtual-server',
  'sem-agreement',
  'function-served',
  'managed-once',
  'vip-back',
  'recovery-job-ended',
  PROTOCOL_ASSERTION,
] as const;

export class CheckerSet {
  readonly log = new ViolationLog();
  private readonly checkers: Checker[];

  /** semBoundUs is how long two replicas may disagree after the last edit (sem-agreement.ts). */
  constructor(intervalUs: number, semBoundUs: number = intervalUs) {
    this.checkers = [new SafetyChecker(this.log, intervalUs), new SemAgreementChecker(this.log, semBoundUs), new LivenessChecker(this.log)];
  }

  onChange(world: World, change: WorldChange | null = null): void {
    for (const c of this.checkers) c.onChange?.(world, change);
  }

  onSample(world: World): void {
    for (const c of this.checkers) c.onSample?.(world);
  }

  onLog(line: SystemLogLine): void {
    for (const c of this.checkers) c.onLog?.(line);
  }

  onEnd(world: World): void {
    for (const c of this.checkers) c.onEnd?.(world);
  }

  violations(): (Violation & { count: number })[] {
    return this.log.list();
  }
}
