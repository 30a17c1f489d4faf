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
