// Where every parameter of the model comes from, for the report's "Model assumptions" section:
// the protocol's Params from core/model/params.ts PARAM_SOURCES, and the simulated world's SimParams
// from the table below, which mirrors the doc comments of sim/sim-params.ts. A test fails when a
// SimParams field is missing here, so a new world timing cannot slip into the report unexplained.
import { defaultParams, PARAM_SOURCES } from '../core/model/params.ts';
import type { Params } from '../core/model/params.ts';
import { defaultSimParams } from '../sim/sim-params.ts';
import type { SimParams } from '../sim/sim-params.ts';
import { fixed } from './format.ts';

/**
 * SourceKind: "paper" is a value printed in Table 1 or the text; "figure" is read off the system
 * log of Fig. 14 (one Nt run); "derived" is computed from the paper's numbers by a reading of
 * ours; "assumption" is a value the paper does not give.
 */
export type SourceKind = 'paper' | 'figure' | 'derived' | 'assumption';

export interface ParamSource {
  kind: SourceKind;
  reason: string;
}

const paper = (reason: string): ParamSource => ({ kind: 'paper', reason });
const figure = (reason: string): ParamSource => ({ kind: 'figure', reason });
const derived = (reason: string): ParamSource => ({ kind: 'derived', reason });
const assumption = (reason: string): ParamSource => ({ kind: 'assumption', reason });

/** SIM_PARAM_SOURCES says where each SimParams default comes from (see sim/sim-params.ts). */
export const SIM_PARAM_SOURCES: Record<keyof SimParams, ParamSource> = {
  loadMeasureUs: figure('Fig. 14: the tick at :10 plus Tnd gives detection at 12.26, so A1 and A2 take 0.26 s'),
  networkExamOkUs: figure('Fig. 14: "IPR_is_normal" at 00.31 = 0.26 + this + FTP\'s 0.02 s service examination'),
  serviceExamUsByDaemon: paper('Table 1: FTP 0.02, Login 0.23, Mail 0.36, Proxy 0.36, Web 1.10 s'),
  serviceExamDefaultUs: assumption('a daemon Table 1 does not list'),
  serviceRefusedUs: assumption('a closed port answers with a reset within a LAN round trip'),
  serviceRetryIntervalUs: assumption('a re-examination retries the service this often until its maximum wait'),
  internalCheckUs: assumption('internal monitoring (Fig. 9(b)): a gateway ping and the local service ports'),
  loadCollectUs: figure('Fig. 14: A3, detection 12.26 to re-examination end 14.34 is Tnd + 0.08 s'),
  fileEditUs: figure('Fig. 14: A4, re-examination end 14.34 to the background job at 14.36'),
  semDeliveryUs: assumption('one SEM record across the 1000BASE-T management switch'),
  vsResumeUs: paper('Table 1: activation of a suspended virtual server'),
  vsInstallProcedureUs: figure('Fig. 14: background job 14.36 to virtual server ready 16.16 is 1.80 s, less Table 1\'s 1.52 s activation'),
  vipSetUs: figure('Fig. 14: virtual server ready 16.16 to VIP set 16.31'),
  vipReleaseUs: figure('Fig. 14: Find_up.file 33.19 to VIP back 33.92 = 0.73 s, less the 0.02 s edit and the 0.15 s VIP set'),
  vsSuspendUs: figure('Fig. 14: VIP back 33.92 to virtual server suspended 34.29'),
  sendFilesUs: figure('Fig. 14: suspended 34.29 to management files sent 34.55'),
  sendFlagUs: figure('Fig. 14: files sent 34.55 to flag sent 35.14'),
  jobFileHandoverUs: figure('Fig. 14: up.file made 33.12 to found 33.19'),
  remoteCommandUs: assumption('an SSH command on another server (the St restart, a remote program start)'),
  programStartUs: assumption('P2P only (Sec. 2.3): a fork and exec of a management program script; the paper gives no time'),
  shutdownUs: derived('Table 1: restart time 33.33 s minus start time 31.07 s, read as the shutdown part of a restart'),
  bootToServiceUs: figure('Fig. 14: Wake-on-LAN 04.78 to "started normally" 33.12; Table 1\'s start time is 31.07 s (see the sensitivity run)'),
  wolDeliveryUs: assumption('the magic packet on the LAN'),
  clientIntervalUs: paper('Sec. 5.2: the client accesses the service once a second'),
  clientOkUs: figure('Fig. 14: OK lines 1.02 s apart'),
  clientTimeoutUs: figure('Fig. 14: XX lines 2.04 s apart'),
  variationFraction: assumption('the paper gives means only; every world duration varies uniformly by this fraction'),
  hostMemKb: paper('Table 1: 8,192 MB'),
  hostCores: derived('Table 1: Core i7-3770, 4 cores with 8 hardware threads, counted as 8 for Eq. (5)'),
  hostRatedBytesPerS: paper('Sec. 5.1: 1000BASE-T'),
  vmCapacity: assumption('8,192 MB holds three 2,048 MB virtual servers beside the host\'s own system'),
  vsMemKb: paper('Table 1: 2,048 MB'),
  baseFreeMemKb: assumption('a lightly used server: 6 GB free'),
  baseCpuIdlePct: assumption('a lightly used server: 90 % idle of 8 x 100'),
  baseNetBytesPerS: assumption('a lightly used server: 1 MB/s'),
  loadNoiseFraction: assumption('random variation of each load measurement'),
  firstTickUnixS: assumption('any tick-aligned time; 13:43:00 UTC so that logs read like Fig. 14\'s clock, on an arbitrary date'),
};

/** ModelAssumption is one line of the report's "Model assumptions" section. */
export interface ModelAssumption {
  owner: 'Params' | 'SimParams';
  name: string;
  value: string;
  kind: SourceKind;
  reason: string;
}

/** paramSource classifies a PARAM_SOURCES text: "assumption: ..." or a citation of the paper. */
export function paramSource(text: string): ParamSource {
  const prefix = 'assumption: ';
  return text.startsWith(prefix) ? assumption(text.slice(prefix.length)) : paper(text);
}

/** modelAssumptions lists every parameter whose default is an assumption, a figure reading or a derivation. */
export function modelAssumptions(params: Params = defaultParams(), sim: SimParams = defaultSimParams()): ModelAssumption[] {
  const core = (Object.keys(PARAM_SOURCES) as (keyof Params)[]).map((name): ModelAssumption => {
    const source = paramSource(PARAM_SOURCES[name]);
    return { owner: 'Params', name, value: formatParam(name, params[name]), ...source };
  });
  const world = (Object.keys(SIM_PARAM_SOURCES) as (keyof SimParams)[]).map((name): ModelAssumption => {
    const source = SIM_PARAM_SOURCES[name];
    return { owner: 'SimParams', name, value: formatParam(name, sim[name]), ...source };
  });
  return [...core, ...world].filter((a) => a.kind !== 'paper');
}

/** formatParam prints a parameter value in the unit its name carries (Us, Kb, BytesPerS, Pct, Fraction, UnixS). */
export function formatParam(name: string, value: number | Record<string, number>): string {
  if (typeof value !== 'number') {
    return Object.entries(value)
      .map(([k, v]) => `${k} ${formatParam('valueUs', v)}`)
      .join(', ');
  }
  if (name.endsWith('Us')) return `${trimZeros(fixed(value / 1e6, 3))} s`;
  if (name.endsWith('Kb')) return `${value / 1024} MB`;
  if (name.endsWith('BytesPerS')) return `${value} B/s`;
  if (name.endsWith('Pct')) return `${value} %`;
  if (name.endsWith('Fraction')) return `${value} (${trimZeros(fixed(value * 100, 1))} %)`;
  if (name.endsWith('UnixS')) return `${value} (${new Date(value * 1000).toISOString().replace('.000Z', 'Z')})`;
  return String(value);
}

function trimZeros(text: string): string {
  return text.includes('.') ? text.replace(/\.?0+$/, '') : text;
}
