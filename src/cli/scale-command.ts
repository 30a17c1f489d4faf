// `dbss scale`: the ring (and P2P) at growing ring sizes, one run each in a process of its own so
// that its peak memory is its own: what the protocol sends per server and second, what detection
// and recovery take, and what the simulator spends (issue 10).
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { DBSS_BIN } from './dbss-bin.ts';
import { parseCommandLine } from '../config/command-line.ts';
import { MAX_SERVERS, runBudgetProblem } from '../config/limits.ts';
import { listOption, parseIntOption, parseMethodOption } from '../config/options.ts';
import { prepareOutputDir, writesFiles } from '../config/output-dir.ts';
import { UsageError } from '../config/usage-error.ts';
import { isMethod } from '../core/method.ts';
import type { Method } from '../core/method.ts';
import { writeFileAtomic } from '../drivers/atomic-file.ts';
import { runScalePoint, scaleSpec } from '../report/scale/scale-point.ts';
import { scaleCsv, scaleMd, scaleSvg } from '../report/scale/scale-report.ts';
import type { ScaleRow } from '../report/scale/scale-report.ts';

export const SCALE_HELP = `Usage: dbss scale [--servers LIST] [--hours H] [--method M] [--seed N] [--json] [--out DIR]

The ring method at growing ring sizes: one simulated run per size (synthetic rings S1..SK, the
paper's six servers for K = 6), 1 % of the servers failing (at least one), every checker on.
The faults are spread over the run, the last a settle time (about 170 s) before its end so that
its recovery ends within the run; a shorter run has them all at its first tick. For each size:
the management messages (SEM records, examinations, load collection, S.files) per
server and second and the SEM bytes, detection, function and target recovery of the failed
servers, how long each management file's SEM records take to reach every replica, and the
simulator's wall time, events and peak memory (each size runs in a process of its own).

Options:
  --servers LIST  ring sizes, comma-separated (default 6,12,25,50,100), each 2 to ${MAX_SERVERS}
                  within the simulator's event budget and memory: the replicas share their
                  files (docs/scale.md; 10,000 servers for an hour: about 1 min, under 1 GB)
  --hours H       simulated hours per run (default 1; 0.01 to 24)
  --method M      ring, p2p or ring,p2p (default ring)
  --seed N        seed of the runs (default 1)
  --json          print a JSON array, one object per method and size
  --out DIR       also write DIR/scale.csv, DIR/scale.json, DIR/chart-scale.svg and DIR/REPORT.md
                  (fitted exponents, where the management switch fills, SWIM beside it)
  -h, --help      show this help

Exit status: 0 when every run was made, 2 on bad input.`;

export async function scaleCommand(argv: string[]): Promise<number> {
  const { values } = parseCommandLine('scale', {
    args: argv,
    options: {
      servers: { type: 'string', default: '6,12,25,50,100' },
      hours: { type: 'string', default: '1' },
      method: { type: 'string', default: 'ring' },
      seed: { type: 'string', default: '1' },
      json: { type: 'boolean', default: false },
      out: { type: 'string' },
      point: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(SCALE_HELP);
    return 0;
  }
  const hours = Number(values.hours);
  if (!/^\d+(\.\d+)?$/.test(values.hours) || !(hours >= 0.01 && hours <= 24)) throw new UsageError(`--hours: expected simulated hours from 0.01 to 24, got ${JSON.stringify(values.hours)}`);
  const simulatedUs = Math.round(hours * 3600 * 1e6);
  const seed = parseIntOption('--seed', values.seed, 0);
  // --point METHOD:K is one run, in the child process the command starts for it: one JSON line.
  if (values.point !== undefined) return onePoint(values.point, simulatedUs, seed);
  const methods = listOption('--method', values.method).map((m) => parseMethodOption('--method', m));
  const sizes = listOption('--servers', values.servers).map((k) => parseIntOption('--servers', k, 2, MAX_SERVERS));
  for (const m of methods) {
    for (const k of sizes) {
      const problem = runBudgetProblem(scaleSpec(m, k, simulatedUs), 1);
      if (problem !== null) throw new UsageError(`--servers ${k}: expected ${problem}`);
    }
  }
  const outDir = values.out === undefined ? null : await prepareOutputDir('--out', values.out, writesFiles('scale.csv', 'scale.json', 'chart-scale.svg', 'REPORT.md'));
  const rows: ScaleRow[] = [];
  for (const m of methods) {
    for (const k of sizes) {
      const row = await childPoint(m, k, values.hours, seed);
      rows.push(row);
      if (!values.json) process.stderr.write(`scale: ${m} ${k} servers: ${row.wallSeconds.toFixed(2)} s, ${row.events} events, ${(row.peakRssBytes / 1e6).toFixed(0)} MB, ${row.messagesPerServerPerSecond.toFixed(2)} messages/server/s\n`);
    }
  }
  if (values.json) console.log(JSON.stringify(rows, null, 2));
  else process.stdout.write(scaleMd(rows, `dbss scale ${argv.join(' ')}`));
  if (outDir !== null) {
    const command = `dbss scale --servers ${sizes.join(',')} --hours ${values.hours} --method ${methods.join(',')} --seed ${seed}`;
    await writeFileAtomic(join(outDir, 'scale.csv'), scaleCsv(rows));
    await writeFileAtomic(join(outDir, 'scale.json'), `${JSON.stringify(rows, null, 2)}\n`);
    await writeFileAtomic(join(outDir, 'chart-scale.svg'), scaleSvg(rows));
    await writeFileAtomic(join(outDir, 'REPORT.md'), scaleMd(rows, command));
  }
  return 0;
}

/** onePoint runs one size in this process and prints its row as one JSON line. */
function onePoint(text: string, simulatedUs: number, seed: number): number {
  const [m, k] = text.split(':');
  if (m === undefined || !isMethod(m)) throw new UsageError(`--point: expected METHOD:K, got ${JSON.stringify(text)}`);
  const servers = parseIntOption('--point', k ?? '', 2, MAX_SERVERS);
  const t0 = performance.now();
  const point = runScalePoint(m, servers, simulatedUs, `${seed}/scale-${servers}`);
  const row: ScaleRow = { ...point, wallSeconds: (performance.now() - t0) / 1000, peakRssBytes: process.resourceUsage().maxRSS * 1024 };
  console.log(JSON.stringify(row));
  return 0;
}

/**
 * YOUNG_GENERATION gives each size's process young-generation halves of 64 MB instead of V8's
 * 16 MB: a large ring's events make short-lived objects faster than a small young generation can
 * let them die, so they are copied and promoted. Measured on a ring of 3,000 servers for 0.3 h
 * (docs/scale.md): 16, 32, 64 and 128 MB took 13.5-15.4, 12.0-12.3, 10.1-10.8 and 10.6-12.7 s.
 */
const YOUNG_GENERATION = '--max-semi-space-size=64';

/** childPoint runs one size in a child process (its peak memory its own) and reads its row. */
function childPoint(method: Method, k: number, hours: string, seed: number): Promise<ScaleRow> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [YOUNG_GENERATION, DBSS_BIN, 'scale', '--point', `${method}:${k}`, '--hours', hours, '--seed', String(seed)], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
    child.on('error', reject);
    child.on('exit', (code) => {
      if (code !== 0) return reject(new Error(`the run of ${k} servers exited with status ${code}`));
      try {
        resolve(JSON.parse(out.trim().split('\n').pop() ?? '') as ScaleRow);
      } catch (e) {
        reject(e instanceof Error ? e : new Error(String(e)));
      }
    });
  });
}
