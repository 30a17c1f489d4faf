// search runs random fault schedules through the property in fixed batches, each batch a
// fast-check run of its own seed derived from the search's seed, and records for each invariant
// the first schedule that broke it. Once every batch before that schedule's is done, the schedule
// is the search's first for the invariant, and fast-check shrinks it from its batch's seed and
// index to a minimal one. Batches and shrinks are pure functions of their inputs, so the
// explorer's workers can take them in any order and any number and still find the same things.
import fc from 'fast-check';
import { INVARIANTS } from '../checkers/index.ts';
import type { Violation } from '../checkers/index.ts';
import type { Fault } from '../world/faults.ts';
import { violationsOf } from './property.ts';
import type { ExploreSetup } from './property.ts';
import { scheduleArbitrary } from './schedule.ts';
import type { ScheduleOptions } from './schedule.ts';

/** BATCH_RUNS is a batch's schedules: small enough that a freed worker soon finds work, large enough that handing it over costs nothing. */
export const BATCH_RUNS = 50;

export interface Finding {
  invariant: string;
  faults: Fault[];
  violation: Violation;
  /** fcSeed and fcPath replay fast-check's search: fc.check(property, { seed, path }) (scheduleAt). */
  fcSeed: number;
  fcPath: string;
  /** runsBeforeFailure is how many random schedules came before this one in the search. */
  runsBeforeFailure: number;
  shrinks: number;
}

export interface SearchResult {
  /** runs counts the random schedules; shrinkRuns the runs fast-check made while shrinking, apart. */
  runs: number;
  shrinkRuns: number;
  findings: Finding[];
}

/** Batch is one slice of the search: `runs` schedules from fast-check seed `fcSeed`, the first being schedule `firstRun` of the search. */
export interface Batch {
  index: number;
  fcSeed: number;
  firstRun: number;
  runs: number;
}

/** Break is the first schedule of a batch that broke an invariant: its batch and index there. */
export interface Break {
  invariant: string;
  batch: Batch;
  offset: number;
}

/** batchSeed derives batch `index`'s fast-check seed from the search's seed (a 31-bit integer hash, so neighbouring seeds share no batch). */
export function batchSeed(seed: number, index: number): number {
  let h = Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(index + 1, 0xc2b2ae35);
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 1;
}

/** batchesOf splits a search of `runs` schedules into its batches. */
export function batchesOf(runs: number, seed: number): Batch[] {
  const batches: Batch[] = [];
  for (let firstRun = 0, index = 0; firstRun < runs; firstRun += BATCH_RUNS, index++) {
    batches.push({ index, fcSeed: batchSeed(seed, index), firstRun, runs: Math.min(BATCH_RUNS, runs - firstRun) });
  }
  return batches;
}

/** runBatch runs a batch's schedules and returns the first break of each invariant in it, in schedule order. */
export function runBatch(setup: ExploreSetup, schedule: ScheduleOptions, batch: Batch): Break[] {
  const breaks: Break[] = [];
  const seen = new Set<string>();
  let offset = 0;
  const property = fc.property(scheduleArbitrary(schedule), (faults) => {
    for (const invariant of invariantsOf(violationsOf(setup, faults))) {
      if (seen.has(invariant)) continue;
      seen.add(invariant);
      breaks.push({ invariant, batch, offset });
    }
    offset++;
    return true;
  });
  fc.check(property, { seed: batch.fcSeed, numRuns: batch.runs });
  if (offset !== batch.runs) throw new Error(`batch ${batch.index} ran ${offset} schedules, expected ${batch.runs}`);
  return breaks;
}

/** shrinkBreak lets fast-check shrink a break's schedule to a minimal one that still breaks its invariant; shrinkRuns counts the runs it took. */
export function shrinkBreak(setup: ExploreSetup, schedule: ScheduleOptions, b: Break): { finding: Finding; shrinkRuns: number } {
  let shrinkRuns = 0;
  let last: { faults: Fault[]; violation: Violation } | null = null;
  const property = fc.property(scheduleArbitrary(schedule), (faults) => {
    shrinkRuns++;
    const violation = violationsOf(setup, faults).find((v) => v.invariant === b.invariant);
    if (violation === undefined) return true;
    last = { faults, violation };
    return false;
  });
  // A path of one index starts fast-check at that schedule of the batch's stream, then shrinks.
  const details = fc.check(property, { seed: b.batch.fcSeed, path: String(b.offset), numRuns: 1 });
  const shrunk = last as { faults: Fault[]; violation: Violation } | null;
  if (!details.failed || details.counterexample === null || shrunk === null) throw new Error(`schedule ${b.batch.firstRun + b.offset} no longer breaks ${b.invariant} when replayed`);
  if (JSON.stringify(shrunk.faults) !== JSON.stringify(details.counterexample[0])) throw new Error('the last failing schedule is not the counterexample fast-check reports');
  const finding: Finding = {
    invariant: b.invariant,
    faults: shrunk.faults,
    violation: shrunk.violation,
    fcSeed: b.batch.fcSeed,
    fcPath: details.counterexamplePath ?? String(b.offset),
    runsBeforeFailure: b.batch.firstRun + b.offset,
    shrinks: details.numShrinks,
  };
  return { finding, shrinkRuns };
}

/** scheduleAt is the schedule fast-check reaches from seed fcSeed along path (a finding's fcSeed and fcPath), null when the path leads nowhere. */
export function scheduleAt(schedule: ScheduleOptions, fcSeed: number, path: string): Fault[] | null {
  let reached: Fault[] | null = null;
  const property = fc.property(scheduleArbitrary(schedule), (faults) => {
    reached ??= faults;
    return false;
  });
  // endOnFailure: the value at the path fails at once and is not shrunk further.
  fc.check(property, { seed: fcSeed, path, endOnFailure: true, numRuns: 1 });
  return reached;
}

/**
 * FirstBreaks merges the batches' breaks, in whatever order they finish, into each invariant's
 * first break in the search; `settled` hands out each one once no batch before it is pending.
 */
export class FirstBreaks {
  private readonly first = new Map<string, Break>();
  private readonly done: boolean[];
  private readonly handedOut = new Set<string>();
  private doneBefore = 0;

  constructor(batches: number) {
    this.done = Array.from({ length: batches }, () => false);
  }

  add(batch: Batch, breaks: readonly Break[]): void {
    if (this.done[batch.index] !== false) throw new Error(`batch ${batch.index} merged twice or out of range`);
    this.done[batch.index] = true;
    for (const b of breaks) {
      const known = this.first.get(b.invariant);
      if (known === undefined || runOf(b) < runOf(known)) this.first.set(b.invariant, b);
    }
    while (this.done[this.doneBefore] === true) this.doneBefore++;
  }

  /** settled returns the first breaks not handed out yet whose batch and every batch before it are done. */
  settled(): Break[] {
    const out = [...this.first.values()].filter((b) => b.batch.index < this.doneBefore && !this.handedOut.has(b.invariant)).sort(breakOrder);
    for (const b of out) this.handedOut.add(b.invariant);
    return out;
  }
}

/** findingOrder sorts findings as the search met them: by schedule, then in the checkers' order. */
export function findingOrder(a: Finding, b: Finding): number {
  return a.runsBeforeFailure - b.runsBeforeFailure || INVARIANTS.indexOf(a.invariant as never) - INVARIANTS.indexOf(b.invariant as never);
}

/** search is the whole search in this thread (the explorer's workers split the same batches and shrinks). */
export function search(setup: ExploreSetup, schedule: ScheduleOptions, runs: number, seed: number, onProgress?: (done: number) => void): SearchResult {
  const batches = batchesOf(runs, seed);
  const merge = new FirstBreaks(batches.length);
  const findings: Finding[] = [];
  let shrinkRuns = 0;
  for (const batch of batches) {
    merge.add(batch, runBatch(setup, schedule, batch));
    onProgress?.(batch.firstRun + batch.runs);
    for (const b of merge.settled()) {
      const s = shrinkBreak(setup, schedule, b);
      findings.push(s.finding);
      shrinkRuns += s.shrinkRuns;
    }
  }
  return { runs, shrinkRuns, findings: findings.sort(findingOrder) };
}

function runOf(b: Break): number {
  return b.batch.firstRun + b.offset;
}

function breakOrder(a: Break, b: Break): number {
  return runOf(a) - runOf(b) || INVARIANTS.indexOf(a.invariant as never) - INVARIANTS.indexOf(b.invariant as never);
}

function invariantsOf(violations: readonly Violation[]): string[] {
  return [...new Set(violations.map((v) => v.invariant))].sort((a, b) => INVARIANTS.indexOf(a as never) - INVARIANTS.indexOf(b as never));
}
