// `dbss explore --replay SEED:PATH`: reach one schedule again through fast-check, from the seed
// and path printed with a finding, and run it once as the search did. It answers "which
// schedule was that, and does it still break the invariant?" after the core changed.
import { UsageError } from '../../config/usage-error.ts';
import { violationsOf } from '../../sim/explore/property.ts';
import type { ExploreSetup } from '../../sim/explore/property.ts';
import { scheduleAt } from '../../sim/explore/search.ts';
import type { ScheduleOptions } from '../../sim/explore/schedule.ts';
import { describeFault } from '../../sim/world/faults.ts';
import type { Fault } from '../../sim/world/faults.ts';

/** replaySchedule prints the schedule at fcSeed and fcPath and what it breaks; its status is 1 when it breaks something. */
export function replaySchedule(label: string, setup: ExploreSetup, schedule: ScheduleOptions, at: { fcSeed: number; fcPath: string }, json: boolean): number {
  let faults: Fault[] | null;
  try {
    faults = scheduleAt(schedule, at.fcSeed, at.fcPath);
  } catch {
    // fast-check throws on a path that leaves the shrink tree of the schedule it starts from.
    faults = null;
  }
  if (faults === null) throw new UsageError(`--replay: fast-check reaches no schedule from seed ${at.fcSeed} along path ${at.fcPath} (with these --method, --servers, --max-faults and --faults)`);
  const violations = violationsOf(setup, faults);
  if (json) {
    console.log(JSON.stringify({ method: label, fcSeed: at.fcSeed, fcPath: at.fcPath, faults, violations: violations.map((v) => ({ invariant: v.invariant, atUs: v.atUs, detail: v.detail })) }, null, 2));
  } else {
    console.log(`replay ${label} fast-check seed ${at.fcSeed}, path "${at.fcPath}": ${faults.length} fault${faults.length === 1 ? '' : 's'}: ${faults.map(describeFault).join('; ')}`);
    console.log(violations.length === 0 ? 'violations: none' : `violations:\n${violations.map((v) => `  ${v.invariant}: ${v.detail}`).join('\n')}`);
  }
  return violations.length > 0 ? 1 : 0;
}

/** parseReplay reads --replay SEED:PATH, which replays one schedule of one method's random search. */
export function parseReplay(text: string, methods: number, exhaustiveK: number | null): { fcSeed: number; fcPath: string } {
  const m = /^(-?\d{1,10}):(\d{1,9}(?::\d{1,9})*)$/.exec(text);
  if (m === null) throw new UsageError(`--replay: expected SEED:PATH as printed with a finding (e.g. 1676030887:0:0:1:3), got ${JSON.stringify(text)}`);
  if (methods !== 1) throw new UsageError(`--replay: expected one --method (the search the seed and path come from), got ${methods}`);
  if (exhaustiveK !== null) throw new UsageError('--replay: replays a random search, not --exhaustive');
  // fast-check takes a 32-bit seed: a larger number would wrap to another one and replay its schedule.
  const fcSeed = Number(m[1]);
  if (fcSeed < -(2 ** 31) || fcSeed >= 2 ** 31) throw new UsageError(`--replay: expected a seed from -2147483648 to 2147483647 (fast-check's 32 bits), got ${m[1]}`);
  return { fcSeed, fcPath: m[2] as string };
}
