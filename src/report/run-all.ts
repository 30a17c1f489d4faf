// runAll simulates every experiment of the paper for both methods with the default parameters
// (Table 1 and the readings of Fig. 14), keeps the ring's run 1 of the Nt experiment for the
// timeline, and reruns Table 2 upper with Table 1's start time as the boot (the sensitivity the
// report quotes for SimParams.bootToServiceUs).
import { secondsToUs } from '../core/model/time.ts';
import type { ClientAccess } from '../sim/world/client.ts';
import { runExperiment } from '../sim/run/experiment.ts';
import type { TargetTimes } from '../sim/run/metrics.ts';
import type { Method } from '../core/method.ts';
import { defaultSimParams, TABLE1_START_S } from '../paper/testbed.ts';
import type { SimParams } from '../sim/sim-params.ts';
import type { SystemLogLine } from '../core/program/log-events.ts';
import { EXPERIMENTS, paperSpec, TIMELINE_EXPERIMENT } from '../paper/experiments.ts';
import { METHODS } from '../core/method.ts';
import type { Experiment } from '../paper/experiments.ts';


export interface ExperimentRuns {
  experiment: Experiment;
  method: Method;
  /** targets[f][r] is fault f's times in run r. */
  targets: TargetTimes[][];
}

/** TimelineRun is what the Fig. 14-style chart needs of one run: the fault, the system log and the client log. */
export interface TimelineRun {
  server: string;
  method: Method;
  run: number;
  faultAtUs: number;
  times: TargetTimes;
  log: SystemLogLine[];
  clients: ClientAccess[];
}

export interface ReproRuns {
  seed: number;
  runs: number;
  results: ExperimentRuns[];
  timeline: TimelineRun;
  /** bootSensitivity holds Table 2 upper rerun with the boot set to Table 1's start time. */
  bootSensitivity: ExperimentRuns[];
}

/** runAll runs everything; onProgress sees the number of runs done out of totalRuns(runs). */
export function runAll(seed: number, runs: number, onProgress: (done: number) => void = () => undefined): ReproRuns {
  const sim = defaultSimParams();
  let done = 0;
  const kept: { timeline?: TimelineRun } = {};
  const one = (experiment: Experiment, method: Method, simParams: SimParams, keepTimeline: boolean): ExperimentRuns => {
    const result = runExperiment(paperSpec(method, experiment.faults, simParams), { seed, runs }, (run) => ({ clientAccessesOfFailed: keepTimeline && run === 1, traceHash: false, stopOnceMeasured: true }), (run, out) => {
      onProgress(++done);
      if (!keepTimeline || run !== 1) return;
      const fault = experiment.faults[0];
      const times = out.targets[0];
      if (fault === undefined || times === undefined) throw new Error(`${experiment.id} has no fault to draw`);
      kept.timeline = { server: fault.server, method, run, faultAtUs: out.firstTickUs + fault.atUs, times, log: out.log, clients: out.clients.get(fault.server) ?? [] };
    });
    return { experiment, method, targets: result.targets };
  };
  const results = EXPERIMENTS.flatMap((e) => METHODS.map((m) => one(e, m, sim, e.id === TIMELINE_EXPERIMENT && m === 'ring')));
  const slowBoot: SimParams = { ...sim, bootToServiceUs: secondsToUs(TABLE1_START_S) };
  const bootSensitivity = EXPERIMENTS.filter((e) => e.group === 'table2-upper').flatMap((e) => METHODS.map((m) => one(e, m, slowBoot, false)));
  if (kept.timeline === undefined) throw new Error(`the timeline experiment ${TIMELINE_EXPERIMENT} did not run`);
  return { seed, runs, results, timeline: kept.timeline, bootSensitivity };
}

/** totalRuns is how many simulated runs runAll makes for a given number of runs per experiment. */
export function totalRuns(runs: number): number {
  const upper = EXPERIMENTS.filter((e) => e.group === 'table2-upper').length;
  return (EXPERIMENTS.length + upper) * METHODS.length * runs;
}

