// Human names for the report and the charts: the paper's metric names, methods and servers.
import type { Method } from '../core/method.ts';
import type { Metric } from '../paper/table2.ts';

export const METRIC_TITLE: Record<Metric, string> = {
  function_recovery: 'Function recovery',
  target_recovery: 'Target recovery',
  client_disconnection: 'Client disconnection',
  detection: 'Detection',
};

/** METRIC_AXIS says what each metric's seconds count from (Sec. 5.2-5.3 definitions). */
export const METRIC_AXIS: Record<Metric, string> = {
  function_recovery: 'seconds after detection',
  target_recovery: 'seconds after detection',
  client_disconnection: 'seconds, first failed to first OK access',
  detection: 'seconds after the fault',
};

export const METHOD_TITLE: Record<Method, string> = { ring: 'Ring', p2p: 'P2P' };

/** serverTitle writes the paper's server names ("Web 1" for our Web1). */
export function serverTitle(server: string): string {
  return server.replace(/^Web(\d)$/, 'Web $1');
}
