// Relations between timing parameters that each value's own range cannot express. The simulator
// and the agent check the same relations (one set of rules), each naming the parameters its own way.
import type { Params } from '../core/model/params.ts';
import { usToSeconds } from '../core/model/time.ts';
import type { SimParams } from '../sim/sim-params.ts';

/** RelationField names a time of Params or SimParams. */
export type RelationField = keyof Params | keyof SimParams;

interface Relation {
  /** shorter must be less than longer; why says what breaks otherwise. */
  shorter: RelationField;
  longer: RelationField;
  why: string;
}

const RELATIONS: readonly Relation[] = [
  // Sec. 3.2, Fig. 14: an examination, its re-examination and the recovery steps fit in an interval.
  { shorter: 'networkExamTimeoutUs', longer: 'monitorIntervalUs', why: 'a network examination (Tnd) ends inside the monitoring interval' },
  { shorter: 'serviceExamWaitMaxUs', longer: 'monitorIntervalUs', why: 'a service examination ends inside the monitoring interval' },
  // Sec. 4.1: internal monitoring runs inside the interval, at this offset from its tick.
  { shorter: 'internalMonitorOffsetUs', longer: 'monitorIntervalUs', why: 'internal monitoring runs inside the interval' },
  // params.ts: the recovery job's polls never overlap.
  { shorter: 'recoveryProbeTimeoutUs', longer: 'recoveryPollIntervalUs', why: 'a recovery probe ends before the next poll' },
];

/** CLOCK_OFF_MAX_S is the largest clock offset a ClockOff fault sets, either way (parse-scenario.ts). */
export const CLOCK_OFF_MAX_S = 3600;

/** RelationProblem is one broken relation: where to report it, in order of preference (the first field the user gave), and what that field should be. */
export interface RelationProblem {
  blame: readonly { field: RelationField; expected: string }[];
}

/**
 * followInterval sets the parameters Params defines relative to the monitoring interval when the
 * interval was overridden and they were not (the assumptions of params.ts): internal monitoring at
 * half the interval (Sec. 4.1), a heartbeat stale after one interval.
 */
export function followInterval(params: Params, given: (field: keyof Params) => boolean): void {
  if (!given('monitorIntervalUs')) return;
  if (!given('internalMonitorOffsetUs')) params.internalMonitorOffsetUs = Math.floor(params.monitorIntervalUs / 2);
  if (!given('heartbeatStaleUs')) params.heartbeatStaleUs = params.monitorIntervalUs;
}

/** parameterRelationProblems lists the relations the values break; nameOf spells a field as the input does. */
export function parameterRelationProblems(params: Params, sim: SimParams, nameOf: (field: RelationField) => string = defaultName): RelationProblem[] {
  const value = (f: RelationField): number => (f in params ? params[f as keyof Params] : sim[f as keyof SimParams]) as number;
  const problems: RelationProblem[] = RELATIONS.filter((r) => value(r.shorter) >= value(r.longer)).map((r) => ({
    blame: [
      { field: r.shorter, expected: `a time in seconds less than ${nameOf(r.longer)} (${usToSeconds(value(r.longer))} s): ${r.why}` },
      { field: r.longer, expected: `a time in seconds more than ${nameOf(r.shorter)} (${usToSeconds(value(r.shorter))} s): ${r.why}` },
    ],
  }));
  // No clock may read before 1970: the cluster starts an interval before its first tick, and a ClockOff sets a clock back by up to an hour.
  const earliestS = Math.ceil(usToSeconds(params.monitorIntervalUs)) + CLOCK_OFF_MAX_S;
  if (sim.firstTickUnixS < earliestS) {
    problems.push({ blame: [{ field: 'firstTickUnixS', expected: `a UNIX time of at least ${earliestS} s (${nameOf('monitorIntervalUs')} + ${CLOCK_OFF_MAX_S} s): the cluster starts one interval before its first tick, and a ClockOff may set a clock back ${CLOCK_OFF_MAX_S} s, never before 1970` }] });
  }
  return problems;
}

function defaultName(field: RelationField): string {
  return field.endsWith('Us') ? field.slice(0, -2) : field;
}
