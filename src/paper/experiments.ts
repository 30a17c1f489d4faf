// The paper's experiments that `dbss repro` replays (Sec. 5.2-5.3): Table 2 upper (one failed
// FTP), Table 2 lower (FTP and Web 1 at once, four St/Nt combinations) and Fig. 15 (Mail, FTP
// and Web 1 shut down at once). Every fault happens 5.00 s after the first tick, the midpoint of
// the 10 s monitoring interval, as in the paper.
import type { Method } from '../core/method.ts';
import { secondsToUs } from '../core/model/time.ts';
import type { Hardening } from '../core/program/hardening.ts';
import type { RunSpec } from '../sim/run/run-spec.ts';
import type { SimParams } from '../sim/sim-params.ts';
import type { Fault, PaperFaultType as FaultType } from '../sim/world/faults.ts';
import { paperCluster } from './cluster.ts';
import { defaultParams } from './params.ts';
import { TABLE2_LOWER, TABLE2_UPPER } from './table2.ts';
import { defaultSimParams } from './testbed.ts';
import type { Metric, RingAndP2p } from './table2.ts';

/** FAULT_AT_S is the fault time after the first tick (Table 2: "the midpoint of the monitoring interval"). */
export const FAULT_AT_S = 5;

/** Group names the table or figure an experiment belongs to, and so the chart and report section it lands in. */
export type Group = 'table2-upper' | 'table2-lower' | 'fig15';

export interface Experiment {
  id: string;
  group: Group;
  title: string;
  faults: Fault[];
  /** paper gives the paper's value of a (server, metric), or undefined when the paper has none. */
  paper: (server: string, metric: Metric) => RingAndP2p | undefined;
}

const at = (server: string, type: FaultType): Fault => ({ server, type, atUs: secondsToUs(FAULT_AT_S) });
const slug = (t: FaultType): string => t.toLowerCase();

function upper(type: FaultType): Experiment {
  return {
    id: `table2-upper-${slug(type)}`,
    group: 'table2-upper',
    title: `Table 2 (upper): ${type} on FTP`,
    faults: [at('FTP', type)],
    paper: (server, metric) => (server === 'FTP' ? TABLE2_UPPER[type][metric] : undefined),
  };
}

function lower(row: (typeof TABLE2_LOWER)[number]): Experiment {
  return {
    id: `table2-lower-${slug(row.ftp)}-${slug(row.web1)}`,
    group: 'table2-lower',
    title: `Table 2 (lower): ${row.ftp} on FTP, ${row.web1} on Web 1`,
    faults: [at('FTP', row.ftp), at('Web1', row.web1)],
    paper: (server, metric) => {
      if (metric !== 'function_recovery') return undefined;
      return server === 'FTP' ? row.FTP : server === 'Web1' ? row.Web1 : undefined;
    },
  };
}

/** EXPERIMENTS lists every experiment in report order. */
export const EXPERIMENTS: readonly Experiment[] = [
  upper('St'),
  upper('Nt'),
  ...TABLE2_LOWER.map(lower),
  {
    id: 'fig15-three-nt',
    group: 'fig15',
    title: 'Fig. 15: Nt on Mail, FTP and Web 1 (paper results withheld)',
    faults: [at('Mail', 'Nt'), at('FTP', 'Nt'), at('Web1', 'Nt')],
    paper: () => undefined,
  },
];

/** TIMELINE_EXPERIMENT is the experiment whose run 1 (ring) the Fig. 14-style timeline draws. */
export const TIMELINE_EXPERIMENT = 'table2-upper-nt';

/**
 * paperSpec is a run on the paper's cluster with the paper's settings and testbed (Sec. 5.1,
 * Table 1): the given faults, until every recovery has settled, every mechanism on.
 */
export function paperSpec(method: Method, faults: readonly Fault[], sim: SimParams = defaultSimParams(), hardening: readonly Hardening[] = []): RunSpec {
  return { method, cluster: paperCluster(), params: defaultParams(), sim, faults, durationUs: null, disabled: [], hardening };
}
