// runDirectoryWriter fills one run directory (run-dir.ts): the scenario file as it was run,
// run.json (what was run, by which dbss, from which command line), each run's logs with the
// faults in them, its timeline (HTML and SVG) and on request its full trace, and the per-run
// metrics of all runs. run.json is written first with finished false and again at the end, so a
// directory left by an interrupted invocation says so. Every file is written atomically.
import { join } from 'node:path';
import { writeFileAtomic } from '../drivers/atomic-file.ts';
import { runSeed } from '../sim/run/experiment.ts';
import type { RunOutput } from '../sim/run/run.ts';
import type { RunSpec } from '../sim/run/run-spec.ts';
import { describeFault } from '../sim/world/faults.ts';
import { timelineData } from './html-timeline/timeline-data.ts';
import { timelineHtml } from './html-timeline/timeline-html.ts';
import { timelineSvg } from './html-timeline/timeline-svg.ts';
import { makeRunDirectory } from './run-dir.ts';
import type { RunDirectory } from './run-dir.ts';
import { writeRunLogs } from './run-logs.ts';
import { metricsCsv, metricsJsonl, metricsRows } from './run-metrics.ts';
import type { MetricsRow } from './run-metrics.ts';
import { traceJsonl } from './run-trace.ts';

/** Invocation is what run.json records of the command that made the directory. */
export interface Invocation {
  scenario: { name: string; file: string; description: string | null };
  seed: number;
  runs: number;
  /** parameters are every parameter as resolved, by its scenario name (seconds for times); overridden names those not at the paper's default. */
  parameters: Record<string, unknown>;
  overriddenParameters: string[];
  /** command is the command line as given (argv), and cwd where it ran, so that relative paths resolve. */
  command: string[];
  cwd: string;
  trace: boolean;
  /** dbssVersion is package.json's version of the dbss that ran. */
  dbssVersion: string;
}

/** SCENARIO_COPY is the name the scenario file is copied in under, whatever it was called. */
export const SCENARIO_COPY = 'scenario.yaml';

export class RunDirectoryWriter {
  private readonly rows: MetricsRow[] = [];
  private readonly traceHashes: string[] = [];
  private readonly pending: Promise<unknown>[] = [];

  private constructor(
    readonly where: RunDirectory,
    private readonly spec: RunSpec,
    private readonly invocation: Invocation,
    private readonly startedAt: Date,
  ) {}

  /** open makes the directory under base (already prepared) and writes the scenario copy and a first run.json. */
  static async open(base: string, spec: RunSpec, invocation: Invocation, scenarioText: string, at: Date): Promise<RunDirectoryWriter> {
    const where = await makeRunDirectory(base, invocation.scenario.name, at);
    const writer = new RunDirectoryWriter(where, spec, invocation, at);
    await writeFileAtomic(join(where.dir, SCENARIO_COPY), scenarioText);
    await writer.writeRecord(null);
    return writer;
  }

  /** addRun starts writing run-N/ (the writes finish in finish()); the output may be dropped once this returns. */
  addRun(run: number, seed: string, out: RunOutput): void {
    if (run !== this.traceHashes.length + 1) throw new Error(`RunDirectoryWriter: run ${run} after ${this.traceHashes.length} runs`);
    this.rows.push(...metricsRows(run, seed, out));
    this.traceHashes.push(out.traceHash);
    const dir = join(this.where.dir, `run-${run}`);
    const title = `${this.invocation.scenario.name}: run ${run} (seed ${seed}), ${this.methodText()}`;
    const data = timelineData(title, this.spec, out);
    const trace = this.invocation.trace && out.traceLines !== null ? traceJsonl(out.traceLines, out.firstTickUs) : null;
    if (this.invocation.trace && out.traceLines === null) throw new Error('RunDirectoryWriter: --trace needs the runs to keep their trace lines');
    this.pending.push(
      writeRunLogs(dir, this.spec, out).then(async () => {
        await writeFileAtomic(join(dir, 'timeline.html'), timelineHtml(data));
        await writeFileAtomic(join(dir, 'timeline.svg'), timelineSvg(data));
        if (trace !== null) await writeFileAtomic(join(dir, 'trace.jsonl'), trace);
      }),
    );
  }

  /** finish waits for every run's files, then writes the metrics and the final run.json; it returns the directory. */
  async finish(): Promise<string> {
    await Promise.all(this.pending);
    await writeFileAtomic(join(this.where.dir, 'metrics.csv'), metricsCsv(this.rows));
    await writeFileAtomic(join(this.where.dir, 'metrics.jsonl'), metricsJsonl(this.rows));
    await this.writeRecord(this.traceHashes);
    return this.where.dir;
  }

  private methodText(): string {
    return this.spec.hardening.length === 0 ? this.spec.method : `${this.spec.method} hardened (${this.spec.hardening.join(', ')})`;
  }

  private async writeRecord(traceHashes: string[] | null): Promise<void> {
    const inv = this.invocation;
    const record = {
      scenario: inv.scenario,
      seed: inv.seed,
      runs: inv.runs,
      runSeeds: Array.from({ length: inv.runs }, (_, i) => runSeed(inv.seed, i + 1)),
      method: this.spec.method,
      hardening: [...this.spec.hardening],
      disable: [...this.spec.disabled],
      servers: this.spec.cluster.map((c) => c.data.hostName),
      faults: this.spec.faults.map((f) => ({ ...f, text: describeFault(f) })),
      durationUs: this.spec.durationUs,
      parameters: inv.parameters,
      overriddenParameters: inv.overriddenParameters,
      dbssVersion: inv.dbssVersion,
      node: process.version,
      command: inv.command,
      cwd: inv.cwd,
      trace: inv.trace,
      startedAt: this.startedAt.toISOString(),
      finished: traceHashes !== null,
      traceHashes: traceHashes ?? [],
    };
    await writeFileAtomic(join(this.where.dir, 'run.json'), `${JSON.stringify(record, null, 2)}\n`);
  }
}
