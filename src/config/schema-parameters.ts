// What each name of a scenario's `parameters:` means, in which unit, within which range, its
// default and where that default comes from. The ranges are the reader's own (parameters.ts), the
// defaults and sources the paper's (src/paper/params.ts, src/paper/testbed.ts); only the meaning
// and unit are written here, and the types demand one for every field of Params and SimParams.
// The JSON Schema (schema-scenario.ts) and docs/scenario-reference.md are both built from these rows.
import type { Params } from '../core/model/params.ts';
import { usToSeconds } from '../core/model/time.ts';
import { defaultParams, PARAM_SOURCES } from '../paper/params.ts';
import { paramSource } from '../paper/sources.ts';
import type { ParamSource } from '../paper/sources.ts';
import { defaultSimParams, SIM_PARAM_SOURCES } from '../paper/testbed.ts';
import type { SimParams } from '../sim/sim-params.ts';
import { PARAMETER_ALIASES, parameterInfos, serviceExamInfo } from './parameters.ts';
import type { RuleBounds } from './parameters.ts';

interface Meaning {
  unit: string;
  meaning: string;
}

const S = 's';
const PARAM_MEANINGS: Record<keyof Params, Meaning> = {
  monitorIntervalUs: { unit: S, meaning: 'the monitoring interval; ticks fall on its multiples of UNIX time (Sec. 3.2)' },
  networkExamTimeoutUs: { unit: S, meaning: 'Tnd, how long a network examination of a target that does not answer waits' },
  serviceExamWaitMaxUs: { unit: S, meaning: 'the longest wait for a service examination' },
  restartWaitMaxUs: { unit: S, meaning: 'the longest wait for a real server restart before Wake-on-LAN' },
  startWaitMaxUs: { unit: S, meaning: 'how long the background job waits for a server it woke before it writes down.file' },
  recoveryPollIntervalUs: { unit: S, meaning: "the cadence of the background job's restart check" },
  serviceStartGraceUs: { unit: S, meaning: 'how long a target whose network answers but whose service does not counts as booting, not broken' },
  recoveryProbeTimeoutUs: { unit: S, meaning: 'the bound on each reachability probe of the restart check' },
  internalMonitorOffsetUs: { unit: S, meaning: "internal monitoring's place in the interval (Sec. 4.1); half the interval unless given" },
  heartbeatStaleUs: { unit: S, meaning: 'the age at which a heartbeat marks its server failed (dual monitoring, Sec. 4.1); one interval unless given' },
  loadSamplesPerStep: { unit: 'measurements', meaning: 'load measurements per step of Eq. (1)-(3)' },
  maxClockOffsetUs: { unit: S, meaning: 'hardened ring (heartbeatTrust): the largest clock offset at which a server still manages' },
  fenceMarginUs: { unit: S, meaning: "hardened ring (fencing): the wait after a target's missed internal check before its VIP is claimed" },
};

const SIM_MEANINGS: Record<keyof SimParams, Meaning> = {
  loadMeasureUs: { unit: S, meaning: 'A1 load measurement and A2 before external monitoring' },
  networkExamOkUs: { unit: S, meaning: 'a network examination of a live target' },
  serviceExamUsByDaemon: { unit: S, meaning: 'the service examination of a healthy daemon, per daemon name' },
  serviceExamDefaultUs: { unit: S, meaning: 'the service examination of a daemon serviceExamByDaemon does not list' },
  serviceRefusedUs: { unit: S, meaning: 'the answer of a closed port' },
  serviceRetryIntervalUs: { unit: S, meaning: 'how often a re-examination retries the service until its longest wait' },
  internalCheckUs: { unit: S, meaning: 'internal monitoring: a gateway ping and the local service ports (Fig. 9(b))' },
  loadCollectUs: { unit: S, meaning: 'A3, fetching the predicted load of every server' },
  fileEditUs: { unit: S, meaning: 'A4, editing the local management files' },
  semDeliveryUs: { unit: S, meaning: 'one SEM record across the management network' },
  vsResumeUs: { unit: S, meaning: 'activating a suspended virtual server' },
  vsInstallProcedureUs: { unit: S, meaning: "installing the original server's procedure file on the virtual server (Sec. 3.1)" },
  vipSetUs: { unit: S, meaning: 'setting a VIP with a gratuitous ARP' },
  vipReleaseUs: { unit: S, meaning: 'removing a VIP from a live holder' },
  vsSuspendUs: { unit: S, meaning: 'suspending a virtual server' },
  sendFilesUs: { unit: S, meaning: 'sending the management files and program to a recovered server' },
  sendFlagUs: { unit: S, meaning: 'sending the flag file to a recovered server' },
  jobFileHandoverUs: { unit: S, meaning: 'from up.file written until the foreground finds it' },
  remoteCommandUs: { unit: S, meaning: 'an SSH command on another server' },
  programStartUs: { unit: S, meaning: 'starting a management program (P2P only, Sec. 2.3)' },
  shutdownUs: { unit: S, meaning: 'from a restart command until the server stops answering' },
  bootToServiceUs: { unit: S, meaning: 'from power-on until the services answer' },
  wolDeliveryUs: { unit: S, meaning: 'the Wake-on-LAN magic packet on the LAN' },
  clientIntervalUs: { unit: S, meaning: 'how often the client accesses each service (Sec. 5.2)' },
  clientOkUs: { unit: S, meaning: 'a successful client access' },
  clientTimeoutUs: { unit: S, meaning: 'a client access to a host that does not answer' },
  variationFraction: { unit: 'fraction', meaning: 'how much every world duration (not the timeouts) varies, uniformly, per occurrence' },
  hostMemKb: { unit: 'kB', meaning: "a host's memory" },
  hostCores: { unit: 'cores', meaning: "a host's CPU cores (hardware threads) for Eq. (5)" },
  hostRatedBytesPerS: { unit: 'bytes/s', meaning: "a host's rated network speed" },
  vmCapacity: { unit: 'virtual servers', meaning: 'how many virtual servers a host can run (0: none)' },
  vsMemKb: { unit: 'kB', meaning: "one virtual server's memory" },
  baseFreeMemKb: { unit: 'kB', meaning: "a host's free memory before any virtual server" },
  baseCpuIdlePct: { unit: '% (cores x 100)', meaning: "a host's idle CPU before any virtual server" },
  baseNetBytesPerS: { unit: 'bytes/s', meaning: "a host's own network traffic" },
  loadNoiseFraction: { unit: 'fraction', meaning: 'random variation of each load measurement' },
  firstTickUnixS: { unit: 's (UNIX time)', meaning: 'the UNIX time of the first monitoring tick (t = 0)' },
};

/** ParameterRow is one name of `parameters:` as the schema and the reference document show it. */
export interface ParameterRow {
  name: string;
  unit: string;
  meaning: string;
  expected: string;
  bounds: RuleBounds;
  /** defaultValue is in the row's unit (seconds for a time); serviceExamByDaemon's is a mapping. */
  defaultValue: number | Readonly<Record<string, number>>;
  source: string;
  aliases: string[];
}

/** parameterRows lists every name `parameters:` accepts, in PARAMETER_NAMES order. */
export function parameterRows(): ParameterRow[] {
  const params = defaultParams();
  const sim = defaultSimParams();
  const aliasesOf = (name: string): string[] => Object.keys(PARAMETER_ALIASES).filter((a) => PARAMETER_ALIASES[a] === name);
  const seconds = (field: string, value: number): number => (field.endsWith('Us') ? usToSeconds(value) : value);
  const rows = parameterInfos().map((info): ParameterRow => {
    const isParam = info.target === 'params';
    const meaning = isParam ? PARAM_MEANINGS[info.field as keyof Params] : SIM_MEANINGS[info.field as keyof SimParams];
    const value = isParam ? params[info.field as keyof Params] : sim[info.field as keyof SimParams];
    if (typeof value !== 'number') throw new Error(`schema: ${info.name} has no numeric default`);
    const source = isParam ? paramSource(PARAM_SOURCES[info.field as keyof Params]) : SIM_PARAM_SOURCES[info.field as keyof SimParams];
    return { name: info.name, ...meaning, expected: info.expected, bounds: info.bounds, defaultValue: seconds(info.field, value), source: sourceText(source), aliases: aliasesOf(info.name) };
  });
  const exams = Object.fromEntries(Object.entries(sim.serviceExamUsByDaemon).map(([d, us]) => [d, usToSeconds(us)]));
  rows.push({
    name: serviceExamInfo.name,
    ...SIM_MEANINGS.serviceExamUsByDaemon,
    expected: `a mapping of daemon names to ${serviceExamInfo.expected}`,
    bounds: serviceExamInfo.bounds,
    defaultValue: exams,
    source: sourceText(SIM_PARAM_SOURCES.serviceExamUsByDaemon),
    aliases: [],
  });
  return rows;
}

/** sourceText writes where a default comes from: "Table 1 (...)", "Fig. 14: ...", "derived: ...", "assumption: ...". */
function sourceText(source: ParamSource): string {
  return source.kind === 'paper' || source.kind === 'figure' ? source.reason : `${source.kind}: ${source.reason}`;
}
