// The hardened ring (docs/hardening.md): protocol extensions that close the failures the explorer
// found in the paper's ring method (reports/FINDINGS.md). Each is named and switched on and off
// like the paper's mechanisms (`hardening:` in scenarios, `--hardened`, agent.yaml), so that a
// replay of the paper runs the paper's method and the cost of each extension can be measured.

/**
 * Hardening names one extension:
 * - fencing: a server whose internal check fails gives up the VIPs it holds (its own and its
 *   virtual servers') and takes them back when healthy; a manager claims a failed target's VIP
 *   only once the target must have fenced itself (closes vip-unique).
 * - semResync: SEM records are numbered per sender and incarnation; replicas compare version
 *   vectors with every heartbeat and pull what they missed from a peer (closes sem-agreement).
 * - readmission: a DBSS whose background job gave up (down.file) keeps watching the separated
 *   target and hands it back when it answers again (closes vip-back).
 * - heartbeatTrust: a manager extends its management only on heartbeats it can trust: not while
 *   its own clock is unsynchronised or its SEM feed lags, and with the clocks' tolerance
 *   (closes managed-once and single-virtual-server).
 */
export type Hardening = 'fencing' | 'semResync' | 'readmission' | 'heartbeatTrust';

/** HARDENINGS lists every extension: `hardening: all`. */
export const HARDENINGS: readonly Hardening[] = ['fencing', 'semResync', 'readmission', 'heartbeatTrust'];

/** isHardening tells whether text names an extension. */
export function isHardening(text: string): text is Hardening {
  return (HARDENINGS as readonly string[]).includes(text);
}
