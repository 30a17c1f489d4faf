// The agent's log of what its UDP ports refuse: SEM and the load requests, through one RefusalLog
// (refusal-log.ts), so that every refusal is counted by port and reason, a flood on any port gives
// a bounded number of lines, and one summary line per interval counts what was left out.
import type { LoadRefusal } from '../drivers/net/load-rpc.ts';
import type { SemRefusal } from '../drivers/net/sem-transport.ts';
import type { Refusal } from '../drivers/net/udp.ts';
import type { AgentLog } from './agent-log.ts';
import { RefusalLog, refusalKey } from './refusal-log.ts';

/** PortRefusals takes each port's refusals; counts() are the totals by `port/reason`. */
export interface PortRefusals {
  sem: (refusal: SemRefusal) => void;
  load: (refusal: LoadRefusal) => void;
  /** flush writes the interval's summary when the interval is over (final: now, as the agent stops). */
  flush: (final?: boolean) => void;
  counts: () => Record<string, number>;
}

/** portRefusals writes refusals to log: `SEM_refused ...` and `Load_request_refused ...` lines, and `Refusals_not_logged ...`. */
export function portRefusals(log: AgentLog, opts: { nowMs?: () => number; intervalMs?: number } = {}): PortRefusals {
  const refusals = new RefusalLog({
    ...opts,
    summary: (notLogged, refused, intervalMs) => {
      const counts = Object.entries(notLogged).map(([kind, n]) => `${kind} ${n} of ${refused[kind] ?? n}`);
      log.agent('refusalsNotLogged', `Refusals_not_logged ${counts.join(', ')} in ${Math.round(intervalMs / 1000)} s`, { notLogged, refused, intervalMs });
    },
  });
  const lineOf =
    (port: 'sem' | 'load', event: string, words: string) =>
    (r: Refusal<string>): void =>
      refusals.refused(`${port}/${r.reason}`, refusalKey(`${port}/${r.reason}`, r.from, r.detail), () =>
        log.agent(event, `${words} ${r.reason} ${r.from ?? '-'} ${r.address} ${r.detail}`, { reason: r.reason, from: r.from, address: r.address, detail: r.detail }),
      );
  return {
    sem: lineOf('sem', 'semRefused', 'SEM_refused'),
    load: lineOf('load', 'loadRefused', 'Load_request_refused'),
    flush: (final = false) => refusals.flush(final),
    counts: () => refusals.counts(),
  };
}
