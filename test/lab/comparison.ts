// The comparison an operator asks for first (issue 13, item 4): the same faults on FTP (St, Nt) on
// the same lab, handled by keepalived and by the dbss agents, beside the simulator's prediction for
// the agents' parameters. agents.test.ts writes its measured figures to a JSON file beside its kept
// logs; keepalived.test.ts, which vitest.lab.config.ts runs after it, reads them and prints one table.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../../src/drivers/atomic-file.ts';
import type { TargetTimes } from '../../src/sim/run/metrics.ts';
import type { Prediction, Steps } from './agents-lab.ts';

/** Figures are one design's times for one fault, in seconds (null: not measured, or it did not happen). */
export interface Figures {
  design: string;
  scenario: string;
  server: string;
  fault: string;
  /** detectionS is from the fault to its detection (keepalived: the backup entering MASTER). */
  detectionS: number | null;
  /** vipMovedS is from the fault to the VIP answering from the backup (dbss: virtualIpSet). */
  vipMovedS: number | null;
  clientDisconnectionS: number | null;
  /** backAfterReturnS is from the server's return (answering again) to the VIP answering from it. */
  backAfterReturnS: number | null;
}

/** agentFiguresFile is where agents.test.ts leaves its figures, in its kept-logs directory (`lab down` removes the lab's). */
export const agentFiguresFile = (keptLogs: string): string => join(keptLogs, 'figures.json');

const sinceDetection = (t: TargetTimes, us: number | null): number | null =>
  t.detectedAtUs === null || us === null ? null : (t.detectedAtUs - t.faultAtUs + us) / 1e6;

/**
 * backAfterReturn is, from Fig. 14's steps, the time from the background job finding the server
 * answering (foundUp, its 1 s poll) to the VIP moved back (vipBack).
 */
const backAfterReturn = (steps: Steps | undefined): number | null =>
  steps?.['foundUp'] == null || steps['vipBack'] == null ? null : steps['vipBack'] - steps['foundUp'];

/** agentFigures turns one of agents.test.ts's measured rows into Figures. */
export function agentFigures(row: { scenario: string; measured: TargetTimes; steps: Steps }): Figures {
  const t = row.measured;
  return {
    design: 'dbss agents',
    scenario: row.scenario,
    server: t.server,
    fault: t.fault,
    detectionS: sinceDetection(t, 0),
    vipMovedS: sinceDetection(t, t.functionRecoveryUs),
    clientDisconnectionS: t.clientDisconnectionUs === null ? null : t.clientDisconnectionUs / 1e6,
    backAfterReturnS: backAfterReturn(row.steps),
  };
}

/** simulatorFigures turns the simulator's prediction (predict in agents-lab.ts) into Figures. */
export function simulatorFigures(scenario: string, server: string, fault: string, p: Prediction | undefined): Figures {
  const moved = p?.detectionS == null || p.functionRecoveryS == null ? null : p.detectionS + p.functionRecoveryS;
  return {
    design: 'dbss simulator',
    scenario,
    server,
    fault,
    detectionS: p?.detectionS ?? null,
    vipMovedS: moved,
    clientDisconnectionS: p?.clientDisconnectionS ?? null,
    backAfterReturnS: backAfterReturn(p?.steps),
  };
}

/** writeAgentFigures leaves the agents' figures for the comparison table, with the time they were measured. */
export async function writeAgentFigures(keptLogs: string, rows: readonly { scenario: string; measured: TargetTimes; steps: Steps }[]): Promise<void> {
  await writeFileAtomic(agentFiguresFile(keptLogs), `${JSON.stringify({ measuredAt: new Date().toISOString(), figures: rows.map(agentFigures) }, null, 1)}\n`);
}

/** readAgentFigures reads them back; null when agents.test.ts has not run on this machine. */
export async function readAgentFigures(keptLogs: string): Promise<{ measuredAt: string; figures: Figures[] } | null> {
  const text = await readFile(agentFiguresFile(keptLogs), 'utf8').catch(() => null);
  return text === null ? null : (JSON.parse(text) as { measuredAt: string; figures: Figures[] });
}

const cell = (s: number | null): string => (s === null ? '-' : s.toFixed(2)).padStart(8);

/** comparisonTable renders the figures as one table, with its settings and footnotes below. */
export function comparisonTable(figures: readonly Figures[], settings: readonly string[], notes: readonly string[]): string {
  const head = `${'fault'.padEnd(10)} ${'design'.padEnd(15)} | ${'detected'.padStart(8)} | ${'VIP moved'.padStart(9)} | ${'client off'.padStart(10)} | ${'back after return'.padStart(17)} | needs`;
  const needs = (design: string): string => (design === 'keepalived' ? 'a standby copy of each service, running' : 'none: a virtual server resumed on demand');
  const order = (f: Figures): string => `${f.fault === 'St' ? 0 : 1}${['keepalived', 'dbss agents', 'dbss simulator'].indexOf(f.design)}`;
  const rows = [...figures]
    .sort((a, b) => order(a).localeCompare(order(b)))
    .map((f) => `${`${f.fault} on ${f.server}`.padEnd(10)} ${f.design.padEnd(15)} | ${cell(f.detectionS)} | ${cell(f.vipMovedS).padStart(9)} | ${cell(f.clientDisconnectionS).padStart(10)} | ${cell(f.backAfterReturnS).padStart(17)} | ${needs(f.design)}`);
  return ['', 'keepalived beside the dbss agents on the same lab, same faults (seconds):', '', head, '-'.repeat(head.length + 30), ...rows, '', ...settings, ...notes, ''].join('\n');
}
