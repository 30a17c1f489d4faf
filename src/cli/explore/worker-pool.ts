// runSearchWorkers splits the explorer's runs over a fixed number of worker threads (fixed, not
// the machine's core count, so the same --seed finds the same things anywhere) and merges their
// findings in worker order.
import { Worker } from 'node:worker_threads';
import type { Finding, SearchResult } from '../../sim/explore/search.ts';
import type { SearchJob } from './search-worker.ts';

export const SEARCH_WORKERS = 2;

export async function runSearchWorkers(
  base: Omit<SearchJob, 'runs' | 'seed'>,
  runs: number,
  seed: number,
  onProgress: (done: number) => void,
): Promise<{ runs: number; findings: Finding[]; schedulesRun: number }> {
  const shares = Array.from({ length: SEARCH_WORKERS }, (_, w) => Math.floor(runs / SEARCH_WORKERS) + (w < runs % SEARCH_WORKERS ? 1 : 0));
  const done = shares.map(() => 0);
  const results = await Promise.all(
    shares.map(
      (share, w) =>
        new Promise<SearchResult>((resolve, reject) => {
          if (share === 0) return resolve({ runs: 0, findings: [] });
          const job: SearchJob = { ...base, runs: share, seed: seed * SEARCH_WORKERS + w };
          const worker = new Worker(new URL('./worker-bootstrap.mjs', import.meta.url), { workerData: job });
          worker.on('message', (m: { type: 'progress'; done: number } | { type: 'result'; result: SearchResult }) => {
            if (m.type === 'progress') {
              done[w] = m.done;
              onProgress(done.reduce((a, b) => a + b, 0));
            } else resolve(m.result);
          });
          worker.on('error', reject);
          worker.on('exit', (code) => {
            if (code !== 0) reject(new Error(`search worker ${w} exited with status ${code}`));
          });
        }),
    ),
  );
  const seen = new Set<string>();
  const findings: Finding[] = [];
  for (const r of results) {
    for (const f of r.findings) {
      if (seen.has(f.invariant)) continue;
      seen.add(f.invariant);
      findings.push(f);
    }
  }
  return { runs, findings, schedulesRun: runs };
}
