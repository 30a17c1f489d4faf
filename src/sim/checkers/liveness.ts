// Liveness invariants, checked at the end of a run, when the bound after the last fault has
// passed (run.ts settleUs: detection, the restart and start waits, a boot, the hand-back and
// one more interval): every failed server whose function can be served is served; every live
// server is managed by exactly one live manager; every recovered server has its VIP back; and
// every background recovery job has ended with up.file or down.file.
import type { SystemLogLine } from '../../core/program/log-events.ts';
import { managersOf } from '../run/outcome.ts';
import type { World } from '../world/world.ts';
import type { Checker, ViolationLog } from './violation.ts';

export const FUNCTION_SERVED = 'function-served';
export const MANAGED_ONCE = 'managed-once';
export const VIP_BACK = 'vip-back';
export const RECOVERY_ENDED = 'recovery-job-ended';

export class LivenessChecker implements Checker {
  /** openJobs[target] is where and when the last background job for target started without ending yet. */
  private readonly openJobs = new Map<string, { server: string; atUs: number }>();

  constructor(private readonly log: ViolationLog) {}

  /**
   * onLog follows the background jobs through the system log (Fig. 14): a restart check opens
   * one; up.file or down.file ends it, and so does the target's hand-back (the flag file sent
   * by whichever manager returned it, e.g. after taking over from a manager that died).
   */
  onLog(line: SystemLogLine): void {
    const e = line.entry;
    switch (e.event) {
      case 'restartCheck':
        this.openJobs.set(e.target, { server: line.server, atUs: line.atUs });
        return;
      case 'makeUpFile':
      case 'makeDownFile':
      case 'sendFlag':
        this.openJobs.delete(e.target);
        return;
      default:
        return;
    }
  }

  onEnd(world: World): void {
    const nowUs = world.kernel.nowUs;
    const servers = [...world.servers.values()];
    const up = (s: (typeof servers)[number]): boolean => s.power === 'on';
    const running = servers.filter((s) => up(s) && s.runner !== null && s.runner.node.running);
    const roomFor = servers.filter((h) => up(h) && h.runningVs.size < h.vmCapacity).map((h) => h.name);

    for (const s of servers) {
      if (world.reachOf(s) === 'ok') continue;
      const hosts = roomFor.filter((h) => h !== s.name);
      if (hosts.length > 0) this.log.record(FUNCTION_SERVED, nowUs, `${s.name} is not served although ${hosts.join(', ')} could run its virtual server`);
    }
    if (running.length >= 2) {
      const managing = managersOf(running);
      for (const s of running) {
        const managers = managing.get(s.name) ?? [];
        if (managers.length !== 1) this.log.record(MANAGED_ONCE, nowUs, `${s.name} is managed by ${managers.length === 0 ? 'nobody' : managers.join(' and ')}`);
      }
    }
    for (const s of running) {
      if (!s.serviceUp) continue;
      const holder = world.vips.effective(s.data.vip, (h) => world.holderLive(h));
      if (holder === null || holder.kind !== 'real' || holder.server !== s.name) {
        this.log.record(VIP_BACK, nowUs, `${s.name} runs again but its VIP ${s.data.vip} is ${holder === null ? 'nowhere' : holder.kind === 'real' ? `on ${holder.server}` : `on ${holder.vsName}@${holder.host}`}`);
      }
    }
    for (const [target, job] of this.openJobs) {
      const host = world.server(job.server);
      const where = host.runner?.node.recoveringTargets().includes(target) ? 'still runs' : 'died with its server';
      this.log.record(RECOVERY_ENDED, nowUs, `the recovery job for ${target} started on ${job.server} at ${((job.atUs - world.firstTickUs) / 1e6).toFixed(2)} s ${where} without up.file or down.file`);
    }
  }
}
