// The two examinations of external monitoring (Sec. 4.1, Fig. 9(a)): the network examination
// (ping of the target's real IP, Table 1's timeout) and the service examination (its daemons,
// waiting up to Table 1's maximum). A DBSS issues them to detect, re-examine and, in the hardened
// ring, watch a target given up on (readmission).
import type { IssuedCommand, ProgramContext } from '../program/context.ts';

/**
 * networkProbe examines the target's real IP address; extra marks one only the hardened ring makes
 * (commands.ts). The address is the target's management data unless the caller kept it (Dbss).
 */
export function networkProbe(ctx: ProgramContext, target: string, extra = false, address = ctx.dataOf(target).ipr): IssuedCommand {
  // Spelled out twice: a spread at the end of a literal costs more than the probe's own work (a large ring makes one per server and interval).
  if (extra) return { type: 'probeNetwork', target, address, timeoutUs: ctx.params.networkExamTimeoutUs, extra };
  return { type: 'probeNetwork', target, address, timeoutUs: ctx.params.networkExamTimeoutUs };
}

/** serviceProbe examines the target's daemons; a re-examination (retry) keeps retrying for Table 1's maximum wait. Address and daemons as networkProbe's. */
export function serviceProbe(
  ctx: ProgramContext,
  target: string,
  retry: boolean,
  extra = false,
  ipr = ctx.dataOf(target).ipr,
  daemons: readonly string[] = ctx.dataOf(target).daemons,
): IssuedCommand {
  if (extra) return { type: 'probeService', target, address: ipr, daemons, waitMaxUs: ctx.params.serviceExamWaitMaxUs, retry, extra };
  return { type: 'probeService', target, address: ipr, daemons, waitMaxUs: ctx.params.serviceExamWaitMaxUs, retry };
}

/**
 * ProbedTarget is a DBSS's side of its examinations: the target, and its address and daemons from
 * the management data, read again only when the data was replaced (ctx.dataVersion). Dbss extends
 * it, so they are fields of the DBSS: a DBSS probes its target twice a tick, and a large ring's
 * data objects are out of the caches each time, where the DBSS is not.
 */
export abstract class ProbedTarget {
  private targetIpr = '';
  private targetDaemons: readonly string[] = [];
  private dataVersion = -1;

  constructor(
    protected readonly ctx: ProgramContext,
    readonly target: string,
  ) {}

  /** ipr is the target's real IP address in the management data. */
  protected get ipr(): string {
    this.readTargetData();
    return this.targetIpr;
  }

  /** networkProbe examines the target's real IP address (networkProbe above). */
  protected networkProbe(): IssuedCommand {
    return networkProbe(this.ctx, this.target, false, this.ipr);
  }

  /** serviceProbe examines the target's daemons (serviceProbe above). */
  protected serviceProbe(retry: boolean): IssuedCommand {
    this.readTargetData();
    return serviceProbe(this.ctx, this.target, retry, false, this.targetIpr, this.targetDaemons);
  }

  private readTargetData(): void {
    if (this.dataVersion === this.ctx.dataVersion) return;
    const data = this.ctx.dataOf(this.target);
    this.targetIpr = data.ipr;
    this.targetDaemons = data.daemons;
    this.dataVersion = this.ctx.dataVersion;
  }
}
