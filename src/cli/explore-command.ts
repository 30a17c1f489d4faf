// `dbss explore`: property-based search for fault schedules the design cannot survive (issue 4).
// Random schedules run through the invariant checkers; each failure is shrunk by fast-check to a
// minimal schedule, written as an ordinary scenario file, and printed with the command that
// replays it. `--exhaustive K` instead runs every combination of up to K failed servers at the
// paper's timing and prints a coverage table.
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseCommandLine } from '../config/command-line.ts';
import { defaultParams } from '../paper/params.ts';
import { RING_MECHANISMS } from '../core/ring/mechanisms.ts';
import type { RingMechanism } from '../core/ring/mechanisms.ts';
import { writeFileAtomic } from '../drivers/atomic-file.ts';
import { paperCluster } from '../paper/cluster.ts';
import { syntheticCluster } from '../sim/synthetic-cluster.ts';
import { casesPerCombination, exhaustive, FULL_COVERAGE, PAPER_COVERAGE } from '../sim/explore/exhaustive.ts';
import type { CoverageOptions, CoverageRow } from '../sim/explore/exhaustive.ts';
import { HARDENINGS } from '../core/program/hardening.ts';
import { violationsOf } from '../sim/explore/property.ts';
import type { ExploreSetup } from '../sim/explore/property.ts';
import { EXPLORE_RUN_US } from '../sim/explore/schedule.ts';
import type { ScheduleOptions } from '../sim/explore/schedule.ts';
import type { Finding } from '../sim/explore/search.ts';
import { FAULT_TYPES, PAPER_FAULT_TYPES } from '../sim/world/faults.ts';
import { settleUs } from '../sim/run/run-spec.ts';
import { isMethod } from '../core/method.ts';
import type { Method } from '../core/method.ts';
import { defaultSimParams } from '../paper/testbed.ts';
import { hardeningOf, listOption, parseIntOption } from '../config/options.ts';
import { findingsNote, Progress } from './progress.ts';
import { UsageError } from '../config/usage-error.ts';
import { eventBudgetProblem, MAX_EXPLORE_EVENTS, MAX_EXPLORE_RUNS, MAX_SCHEDULE_FAULTS, MAX_SERVERS, memoryProblem } from '../config/limits.ts';
import { prepareOutputDir, prepareOutputFile, writesFiles } from '../config/output-dir.ts';
import { findingYaml } from '../config/scenario-writer.ts';
import { runSearchWorkers, SEARCH_WORKERS } from './explore/worker-pool.ts';
import { findingsMarkdown } from '../report/findings/findings-md.ts';
import type { Closure, MethodReport, SearchThroughput } from '../report/findings/findings-md.ts';
import { parseBaseline } from '../report/findings/baseline.ts';
import { InputError, listed } from '../core/model/input-error.ts';
import { readText } from '../config/read-text.ts';
import { baselineLine, exploreJson, formatText, markKnown } from './explore/explore-output.ts';
import { parseReplay, replaySchedule } from './explore/replay.ts';
import { exploreSlurm, firstBreaks, readShards, searchArgs, SHARD_FILE } from './explore/shards.ts';
import { parseShardOption } from '../config/shards.ts';
import type { ShardFile, ShardMethod } from './explore/shards.ts';
import type { Hardening } from '../core/program/hardening.ts';

export const EXPLORE_HELP = `Usage: dbss explore [options]

Search fault schedules for runs that break an invariant (src/sim/checkers): a VIP held twice,
two virtual servers for one target, replicas that disagree, a function not served, a server
managed by nobody or twice, a VIP not moved back, a recovery job that never ends. Each failing
schedule is shrunk to a minimal one and written as a scenario file that dbss sim replays.

Options:
  --method M          ring, p2p or ring-hardened (the ring with every extension of the hardened
                      ring), or several as ring,p2p,ring-hardened (default ring)
  --runs N            schedules to try per method (default 1000), or one number per method as
                      2000,2000,100000; each schedule is 10 simulated minutes
  --seed N            seed of the search and of the runs (default 1)
  --servers K         ring size: 6 is the paper's cluster (default), other sizes use S1..SK
  --max-faults F      faults per schedule, 1 or more (default 3), or one number per method
  --faults SET        paper (St, Nt) or all (default all: also repairs, SEM loss and delay,
                      partitions, clocks off, hosts without capacity)
  --disable M         switch a ring mechanism off (repeatable): ${RING_MECHANISMS.join(', ')}
  --hardened          search the hardened ring (every extension, docs/hardening.md)
  --hardening L       all, none or a comma-separated list of extensions of the hardened ring
  --exhaustive K      run every combination of up to K failed servers instead of a random search:
                      with --faults paper each server gets St or Nt at 5 s after a tick; with
                      --faults all also every other fault shape on all of them, each case at
                      0, 2.5, 5 and 7.5 s after a tick
  --coverage K        after the random search, also run --exhaustive K and report its coverage
  --out DIR           where the scenario files of findings go (default explore-findings)
  --report FILE       also write a Markdown report of the findings (npm run explore: reports/FINDINGS.md)
  --baseline FILE     findings already known and accepted: reports/FINDINGS.md (its methods,
                      invariants and minimal schedules) or a JSON list of { method, invariant,
                      faults } (the findings of --json are one); only new findings fail
  --replay SEED:PATH  replay one fast-check seed and path (as printed with a finding) for the one
                      method given, with the same --seed, --servers, --max-faults and --faults
  --shard I/N         run only the batches of shard I of N (a machine of a cluster; Slurm array
                      task) and write DIR/explore-shard.json with each invariant's first break,
                      unshrunk; dbss explore merge DIR... [--out --report --baseline --json] then
                      shrinks and reports them as the search on one machine would; --slurm
                      [--shards N] writes that as a Slurm array job and its merge (submit.sh)
  --json              print JSON instead of text: { seed, baseline, methods: [...] }, each method
                      with its work (random schedules and shrink runs apart), findings and coverage
  -h, --help          show this help

Exit status: 0 when nothing was found (with --baseline: nothing new; with --replay: the schedule
breaks nothing), 1 when something was, 2 on bad arguments.`;

export async function exploreCommand(argv: string[], merged: ReturnType<typeof readShards> | null = null): Promise<number> {
  if (argv[0] === 'merge' && merged === null) return exploreMerge(argv.slice(1));
  const { values } = parseCommandLine('explore', {
    args: argv,
    options: {
      method: { type: 'string', default: 'ring' },
      runs: { type: 'string' },
      seed: { type: 'string' },
      servers: { type: 'string' },
      'max-faults': { type: 'string' },
      faults: { type: 'string', default: 'all' },
      disable: { type: 'string', multiple: true, default: [] },
      hardened: { type: 'boolean', default: false },
      hardening: { type: 'string' },
      exhaustive: { type: 'string' },
      coverage: { type: 'string' },
      out: { type: 'string', default: 'explore-findings' },
      report: { type: 'string' },
      baseline: { type: 'string' },
      replay: { type: 'string' },
      shard: { type: 'string' },
      slurm: { type: 'boolean', default: false },
      shards: { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(EXPLORE_HELP);
    return 0;
  }
  const targets = listOption('--method', values.method).map(parseTarget);
  if (values.shards !== undefined && !values.slurm) throw new UsageError('--shards: goes with --slurm (one machine takes --shard I/N)');
  const runsList = (values.runs ?? '1000').split(',').map((r) => parseIntOption('--runs', r, 1, MAX_EXPLORE_RUNS));
  if (runsList.length !== 1 && runsList.length !== targets.length) throw new UsageError(`--runs: expected one number or one per method (${targets.length}), got ${JSON.stringify(values.runs)}`);
  const seed = values.seed === undefined ? 1 : parseIntOption('--seed', values.seed, 0);
  const servers = values.servers === undefined ? 6 : parseIntOption('--servers', values.servers, 2, MAX_SERVERS);
  const maxFaultsList = (values['max-faults'] ?? '3').split(',').map((f) => parseIntOption('--max-faults', f, 1, MAX_SCHEDULE_FAULTS));
  if (maxFaultsList.length !== 1 && maxFaultsList.length !== targets.length) throw new UsageError(`--max-faults: expected one number or one per method (${targets.length}), got ${JSON.stringify(values['max-faults'])}`);
  const exhaustiveK = values.exhaustive === undefined ? null : parseIntOption('--exhaustive', values.exhaustive, 1, servers);
  const coverageK = values.coverage === undefined ? null : parseIntOption('--coverage', values.coverage, 1, servers);
  if (values.faults !== 'paper' && values.faults !== 'all') throw new UsageError(`--faults: expected paper or all, got ${JSON.stringify(values.faults)}`);
  const disabled = values.disable.map(parseMechanism);
  const ringHardening = hardeningOf(values.hardened, values.hardening) ?? [];
  const coverageOptions = values.faults === 'paper' ? PAPER_COVERAGE : FULL_COVERAGE;
  const replay = values.replay === undefined ? null : parseReplay(values.replay, targets.length, exhaustiveK);
  const shard = values.shard === undefined ? null : parseShardOption(values.shard);
  if (shard !== null && (exhaustiveK !== null || coverageK !== null || replay !== null || values.report !== undefined || values.baseline !== undefined)) {
    throw new UsageError('--shard: a shard runs part of a random search only (no --exhaustive, --coverage, --replay, --report or --baseline: dbss explore merge takes those)');
  }
  if (replay === null) checkWork(servers, targets.map((_, i) => (exhaustiveK === null ? (runsList[i] ?? (runsList[0] as number)) : 0)), exhaustiveK, coverageK, coverageOptions);
  // The baseline is read before any work (and before --report may overwrite the same file).
  const baseline = values.baseline === undefined ? null : parseBaseline(readText(values.baseline, 'baseline', 'reports/FINDINGS.md or a JSON list of findings'), values.baseline);

  const params = defaultParams();
  const sim = defaultSimParams();
  const cluster = servers === 6 ? paperCluster() : syntheticCluster(servers);
  const names = cluster.map((c) => c.data.hostName);
  const stranger = baseline?.flatMap((k) => k.faults).find((f) => !names.includes(f.server));
  if (stranger !== undefined) throw new InputError(values.baseline as string, null, 'fault', `a server of the search (${listed(names)})`, stranger.server);
  const paperSchedule: ScheduleOptions = {
    servers: names,
    maxFaults: maxFaultsList[0] as number,
    latestUs: EXPLORE_RUN_US - settleUs(params, sim),
    types: values.faults === 'paper' ? PAPER_FAULT_TYPES : FAULT_TYPES,
  };

  const plans = targets.map((target, i) => {
    const hardening = target.hardened ? [...HARDENINGS] : target.method === 'ring' ? ringHardening : [];
    const maxFaults = maxFaultsList[i] ?? (maxFaultsList[0] as number);
    const setup: ExploreSetup = { spec: { method: target.method, cluster, params, sim, faults: [], durationUs: EXPLORE_RUN_US, disabled, hardening }, seed };
    // The hardened ring's liveness bound is longer (readmission's adoption grace): its faults end earlier.
    const schedule: ScheduleOptions = { ...paperSchedule, maxFaults, latestUs: EXPLORE_RUN_US - settleUs(params, sim, hardening) };
    const flags = `--method ${target.label} --seed ${seed} --servers ${servers} --max-faults ${maxFaults} --faults ${values.faults}${!target.hardened && hardening.length > 0 ? ` --hardening ${hardening.join(',')}` : ''}${disabled.map((d) => ` --disable ${d}`).join('')}`;
    return { target, hardening, maxFaults, setup, schedule, runs: runsList[i] ?? (runsList[0] as number), replayCommand: (fcSeed: number, fcPath: string) => `dbss explore ${flags} --replay ${fcSeed}:${fcPath}` };
  });
  if (replay !== null) {
    const plan = plans[0] as (typeof plans)[number];
    return replaySchedule(plan.target.label, plan.setup, plan.schedule, replay, values.json);
  }
  const outDir = await prepareOutputDir('--out', values.out, writesFiles(/\.yaml$/, SHARD_FILE, /\.sbatch$/, 'submit.sh'));
  if (values.slurm) return exploreSlurm(argv, outDir, { ...values, alone: shard === null && exhaustiveK === null && coverageK === null && replay === null });
  if (shard !== null) return exploreShard(plans, seed, shard, argv, outDir);
  const reportFile = values.report === undefined ? undefined : await prepareOutputFile('--report', values.report);

  const reports: MethodReport[] = [];
  const setups = new Map<string, ExploreSetup>();
  for (const plan of plans) {
    const { target, hardening, maxFaults, setup, schedule, runs } = plan;
    const { method, label } = target;
    setups.set(label, setup);
    const progress = new Progress(`explore ${label}`, exhaustiveK === null ? runs : coverageRuns(names.length, exhaustiveK, coverageOptions));
    // The findings so far: the earlier methods' and, in an exhaustive search, this one's as they come.
    const foundBefore = reports.reduce((n, r) => n + r.findings.length, 0);
    progress.note(findingsNote(foundBefore));
    const t0 = performance.now();
    let coverage: CoverageRow[] | null = null;
    let findings: Finding[];
    let runsDone: number;
    let throughput: SearchThroughput;
    if (exhaustiveK === null) {
      // Merging shards: their first breaks are shrunk here, and their random schedules counted as they ran there.
      const shards = merged?.methods.get(label) ?? null;
      const part = merged === null ? null : { breaks: firstBreaks(shards ?? [], runs, seed) };
      const r = await runSearchWorkers({ setup, schedule }, runs, seed, (done) => progress.tick(done), undefined, part);
      findings = r.findings;
      runsDone = shards === null ? r.runs : shards.reduce((n, m) => n + m.runs, 0);
      const randomSeconds = shards === null ? r.randomSeconds : shards.reduce((n, m) => n + m.randomSeconds, 0);
      const workers = shards === null ? r.workers : shards.reduce((n, m) => n + m.workers, 0);
      throughput = { kind: 'random', workers, randomPerSecond: Math.round((runsDone * workers) / randomSeconds), shrinkRuns: r.shrinkRuns, randomSeconds, shrinkSeconds: r.shrinkSeconds, wallSeconds: r.wallSeconds };
    } else {
      const found: Finding[] = [];
      const e = exhaustiveFindings(setup, names, exhaustiveK, coverageOptions, found, (done) => progress.note(findingsNote(foundBefore + found.length)).tick(done));
      findings = e.findings;
      coverage = e.coverage;
      runsDone = e.runs;
      const seconds = (performance.now() - t0) / 1000;
      throughput = { kind: 'exhaustive', workers: 1, randomPerSecond: Math.round(e.runs / seconds), shrinkRuns: 0, randomSeconds: seconds, shrinkSeconds: 0, wallSeconds: seconds };
    }
    progress.done();
    // The coverage run at the paper's timing may break invariants the random search did not.
    if (coverageK !== null && coverage === null) {
      const coverageProgress = new Progress(`coverage ${label}`, coverageRuns(names.length, coverageK, coverageOptions));
      coverage = exhaustiveFindings(setup, names, coverageK, coverageOptions, findings, (done) => coverageProgress.tick(done)).coverage;
      coverageProgress.done();
    }
    const report: MethodReport = { method, label, hardening, maxFaults, latestUs: schedule.latestUs, runs: runsDone, seed, throughput, violations: [], findings, coverage };
    for (const f of findings) {
      // The name carries a digest of the schedule: the same finding rewrites its own file, and a
      // different schedule found later (after a change of the core) is kept beside the earlier one.
      const digest = createHash('sha256').update(JSON.stringify(f.faults)).digest('hex').slice(0, 8);
      const variant = `${hardening.length > 0 ? '-hardened' : ''}${disabled.length > 0 ? `-without-${disabled.join('-')}` : ''}`;
      const name = `${method}${variant}-${f.invariant}-${digest}`;
      const file = join(outDir, `${name}.yaml`);
      const comment = [
        `Found by: dbss explore --method ${method} --runs ${runs} --seed ${seed} --servers ${servers} --max-faults ${maxFaults} --faults ${values.faults}${hardening.length > 0 ? ` --hardening ${hardening.join(',')}` : ''}${disabled.map((d) => ` --disable ${d}`).join('')}${exhaustiveK === null ? '' : ` --exhaustive ${exhaustiveK}`}`,
        f.fcPath === '' ? `exhaustive search at the paper's timing (case ${f.runsBeforeFailure})` : `fast-check: seed ${f.fcSeed}, path "${f.fcPath}", ${f.shrinks} shrinks`,
        `Broken at ${((f.violation.atUs - sim.firstTickUnixS * 1e6) / 1e6).toFixed(2)} s: ${f.violation.detail}`,
      ];
      // The expected outcome is everything this schedule breaks, so the scenario test checks it exactly.
      const invariants = [...new Set(violationsOf(setup, f.faults).map((v) => v.invariant))];
      await writeFileAtomic(file, findingYaml({ name, method, seed, durationUs: EXPLORE_RUN_US, faults: f.faults, invariants, disabled, hardening, comment, description: `${method}: ${f.invariant} broken by ${f.faults.length} fault(s)` }));
      const exploreReplay = f.fcPath === '' ? null : plan.replayCommand(f.fcSeed, f.fcPath);
      report.violations.push({ invariant: f.invariant, scenarioFile: file, replay: `dbss sim ${file}`, exploreReplay, fcSeed: f.fcSeed, fcPath: f.fcPath, faults: f.faults.length, detail: f.violation.detail, known: null });
    }
    reports.push(report);
  }
  if (reportFile !== undefined) {
    const ring = reports.find((r) => r.label === 'ring');
    const ringSetup = setups.get('ring');
    const closures = reports.some((r) => r.label === 'ring-hardened') && ring !== undefined && ringSetup !== undefined ? closuresOf(ring, ringSetup) : [];
    const options = { seed, servers, faults: values.faults, exhaustive: exhaustiveK, coverage: coverageK, disabled, latestUs: paperSchedule.latestUs, fixed: await fixedRegressions(outDir), closures };
    await writeFileAtomic(reportFile, findingsMarkdown(reports, options));
  }
  const compared = baseline === null || values.baseline === undefined ? null : markKnown(reports, baseline, values.baseline);
  if (values.json) console.log(JSON.stringify(exploreJson(reports, seed, compared), null, 2));
  else {
    for (const r of reports) console.log(formatText(r));
    if (compared !== null) console.log(baselineLine(compared));
  }
  if (compared !== null) return compared.new.length > 0 ? 1 : 0;
  return reports.some((r) => r.violations.length > 0) ? 1 : 0;
}

/** exploreShard runs one shard of every method's random search and writes its first breaks for dbss explore merge. */
async function exploreShard(plans: readonly { target: ExploreTarget; setup: ExploreSetup; schedule: ScheduleOptions; runs: number }[], seed: number, shard: { shard: number; shards: number }, argv: readonly string[], outDir: string): Promise<number> {
  const methods: ShardMethod[] = [];
  for (const plan of plans) {
    const progress = new Progress(`explore ${plan.target.label} shard ${shard.shard}/${shard.shards}`, Math.ceil(plan.runs / shard.shards));
    const r = await runSearchWorkers({ setup: plan.setup, schedule: plan.schedule }, plan.runs, seed, (done) => progress.tick(done), undefined, { only: shard });
    progress.done();
    methods.push({ label: plan.target.label, runs: r.runs, randomSeconds: r.randomSeconds, workers: r.workers, breaks: r.breaks.map((b) => ({ invariant: b.invariant, batch: b.batch.index, offset: b.offset })) });
    console.log(`${plan.target.label}: ${r.runs} random schedules of shard ${shard.shard}/${shard.shards}, first breaks of ${r.breaks.length} invariant(s): ${r.breaks.map((b) => b.invariant).join(', ') || 'none'}`);
  }
  const file = join(outDir, SHARD_FILE);
  await writeFileAtomic(file, `${JSON.stringify({ args: searchArgs(argv), ...shard, methods } satisfies ShardFile, null, 2)}\n`);
  console.log(`wrote ${file}; merge the ${shard.shards} shards with dbss explore merge DIR... (it shrinks and reports)`);
  return 0;
}

/** exploreMerge joins the shards of one search (shards.ts) and reports it as the search on one machine: `dbss explore merge DIR... [--out DIR] [--report FILE] [--baseline FILE] [--json]`. */
async function exploreMerge(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandLine('explore merge', {
    args: argv,
    allowPositionals: true,
    options: { out: { type: 'string' }, report: { type: 'string' }, baseline: { type: 'string' }, json: { type: 'boolean', default: false }, help: { type: 'boolean', short: 'h', default: false } },
  });
  if (values.help) {
    console.log(EXPLORE_HELP);
    return 0;
  }
  const shards = readShards(positionals);
  const output = [
    ...(values.out === undefined ? [] : ['--out', values.out]),
    ...(values.report === undefined ? [] : ['--report', values.report]),
    ...(values.baseline === undefined ? [] : ['--baseline', values.baseline]),
    ...(values.json ? ['--json'] : []),
  ];
  return exploreCommand([...shards.args, ...output], shards);
}

/**
 * exhaustiveFindings runs every combination of up to k failed servers (exhaustive.ts) and adds to
 * findings the first case of each invariant not found yet; it returns the coverage table too.
 */
function exhaustiveFindings(
  setup: ExploreSetup,
  names: readonly string[],
  k: number,
  o: CoverageOptions,
  findings: Finding[],
  onProgress: (done: number) => void,
): { findings: Finding[]; coverage: CoverageRow[]; runs: number } {
  const seen = new Set(findings.map((f) => f.invariant));
  let runs = 0;
  const coverage = exhaustive(setup, names, k, o, (c) => {
    runs++;
    if (runs % 50 === 0) onProgress(runs);
    for (const v of c.violations) {
      if (seen.has(v.invariant)) continue;
      seen.add(v.invariant);
      findings.push({ invariant: v.invariant, faults: c.faults, violation: v, fcSeed: 0, fcPath: '', runsBeforeFailure: runs, shrinks: 0 });
    }
  });
  return { findings, coverage, runs };
}

/** closuresOf replays each finding of the paper's ring with no extension, each extension alone and all of them (findings-md.ts). */
function closuresOf(ring: MethodReport, setup: ExploreSetup): Closure[] {
  const variants: { name: string; hardening: Hardening[] }[] = [{ name: 'none', hardening: [] }, ...HARDENINGS.map((h) => ({ name: h, hardening: [h] })), { name: 'all', hardening: [...HARDENINGS] }];
  return ring.findings.map((f, i) => ({
    invariant: f.invariant,
    scenarioFile: ring.violations[i]?.scenarioFile ?? '',
    broken: variants.map((v) => {
      const hardened: ExploreSetup = { ...setup, spec: { ...setup.spec, hardening: v.hardening } };
      return { hardening: v.name, invariants: [...new Set(violationsOf(hardened, f.faults).map((x) => x.invariant))] };
    }),
  }));
}

/**
 * checkWork refuses, before anything runs, a search beyond the limits (config/limits.ts): an
 * exhaustive run of more cases than MAX_EXPLORE_RUNS, or more simulated events in all than
 * MAX_EXPLORE_EVENTS. randomRuns lists each method's random schedules (0 with --exhaustive).
 */
function checkWork(servers: number, randomRuns: readonly number[], exhaustiveK: number | null, coverageK: number | null, o: CoverageOptions): void {
  for (const [flag, k] of [['--exhaustive', exhaustiveK], ['--coverage', coverageK]] as const) {
    if (k !== null && coverageRuns(servers, k, o) > MAX_EXPLORE_RUNS) {
      throw new UsageError(`${flag}: expected at most ${MAX_EXPLORE_RUNS} runs per method; every combination of up to ${k} of ${servers} servers is ${coverageRuns(servers, k, o).toExponential(1)}`);
    }
  }
  const exhaustiveRuns = exhaustiveK === null ? 0 : coverageRuns(servers, exhaustiveK, o);
  const runs = randomRuns.reduce((sum, r) => sum + r + exhaustiveRuns, 0);
  const memory = memoryProblem(servers, SEARCH_WORKERS);
  if (memory !== null) throw new UsageError(`--servers: expected ${memory}`);
  const overBudget = eventBudgetProblem(runs, servers, EXPLORE_RUN_US / 1e6, defaultParams().monitorIntervalUs / 1e6, MAX_EXPLORE_EVENTS);
  if (overBudget !== null) throw new UsageError(`--runs: expected ${overBudget}`);
}

/** coverageRuns is how many runs --exhaustive k takes on n servers. */
function coverageRuns(n: number, k: number, o: CoverageOptions): number {
  let total = 0;
  // Counted, not listed: the combinations of 6 of 250 servers would not fit in memory.
  for (let j = 1; j <= Math.min(k, n); j++) total += binomial(n, j) * casesPerCombination(j, o);
  return total;
}

/** binomial is n choose k, as a float for counts too large to list. */
function binomial(n: number, k: number): number {
  let c = 1;
  for (let i = 1; i <= k; i++) c = (c * (n - k + i)) / i;
  return Math.round(c);
}

/** fixedRegressions lists the scenarios kept from earlier searches: findings since fixed (fixed-*.yaml) and earlier counterexamples (earlier-*.yaml). */
async function fixedRegressions(dir: string): Promise<{ file: string; description: string }[]> {
  const names = (await readdir(dir)).filter((f) => (f.startsWith('fixed-') || f.startsWith('earlier-')) && f.endsWith('.yaml')).sort();
  return Promise.all(
    names.map(async (f) => {
      const text = await readFile(join(dir, f), 'utf8');
      const description = /^description: "?(.*?)"?$/m.exec(text)?.[1] ?? '';
      return { file: join(dir, f), description };
    }),
  );
}

/** ExploreTarget is one method the explorer searches: the paper's ring or P2P, or the hardened ring. */
interface ExploreTarget {
  method: Method;
  label: string;
  hardened: boolean;
}

function parseTarget(text: string): ExploreTarget {
  if (isMethod(text)) return { method: text, label: text, hardened: false };
  if (text === 'ring-hardened') return { method: 'ring', label: text, hardened: true };
  throw new UsageError(`--method: expected ring, p2p or ring-hardened (or several, comma-separated), got ${JSON.stringify(text)}`);
}

function parseMechanism(text: string): RingMechanism {
  if ((RING_MECHANISMS as readonly string[]).includes(text)) return text as RingMechanism;
  throw new UsageError(`--disable: expected one of ${RING_MECHANISMS.join(', ')}, got ${JSON.stringify(text)}`);
}
