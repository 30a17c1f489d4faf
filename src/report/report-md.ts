// REPORT.md: how the results were made and how to replay them, the paper's tables beside the
// simulated ones for both methods, the charts, the ring-vs-P2P comparison, the generated
// "where the simulation differs" section and every model assumption. Nothing in it depends on
// the machine, the time or the output directory.
import { FIG14_EVENTS } from '../paper/fig14.ts';
import { MECHANISM_READINGS } from './assumptions.ts';
import type { ModelAssumption } from './assumptions.ts';
import type { Cell, SignComparison } from './cells.ts';
import { cellName, differencesSection, LIMIT_PCT } from './differences.ts';
import { FAULT_AT_S } from '../paper/experiments.ts';
import { fixed, signed } from './format.ts';
import { METRIC_TITLE, serverTitle } from './labels.ts';
import { ci, mdTable, meanRange, paperCell, pct } from './markdown.ts';
import type { Metric } from '../paper/table2.ts';
import type { ReproRuns } from './run-all.ts';
import { firstEventTimes } from './timeline-events.ts';

export interface ReportInput {
  repro: ReproRuns;
  cells: readonly Cell[];
  signs: readonly SignComparison[];
  bootCells: readonly Cell[];
  assumptions: readonly ModelAssumption[];
  files: { csv: string; upper: string; lower: string; fig15: string; timeline: string };
}

const UPPER_METRICS: readonly Metric[] = ['function_recovery', 'target_recovery', 'client_disconnection'];

function comparedRow(c: Cell, lead: string[]): string[] {
  return [...lead, paperCell(c.ring.paper), meanRange(c.ring.summary), ci(c.ring.summary), pct(c.ring.errorPct), paperCell(c.p2p.paper), meanRange(c.p2p.summary), ci(c.p2p.summary), pct(c.p2p.errorPct)];
}

const COMPARED_HEADERS = ['ring paper', 'ring simulated mean [min-max]', 'ring 95 % CI', 'ring error', 'P2P paper', 'P2P simulated mean [min-max]', 'P2P 95 % CI', 'P2P error'];

function header(input: ReportInput): string {
  const { seed, runs } = input.repro;
  const paperCells = input.cells.filter((c) => c.ring.paper !== null);
  const values = paperCells.flatMap((c) => [c.ring.errorPct, c.p2p.errorPct]);
  const within = values.filter((e) => e !== null && Math.abs(e) <= LIMIT_PCT).length;
  const agree = input.signs.filter((s) => s.agrees).length;
  return [
    '# dbss repro: the paper\'s experiments, simulated',
    '',
    'Kitamura, Takeshita, Okazaki, "Development of Ring-type Dynamic Backup Server System not requiring Dedicated ' +
      'Management Server", JISSJ 2022: Table 2 and Fig. 15 replayed in the deterministic simulator, for the ring ' +
      'method and the P2P method it replaces. This directory is generated; do not edit it by hand.',
    '',
    '## How it was made',
    '',
    `- Replay: \`npm run repro -- --seed ${seed} --runs ${runs}\` (or \`node bin/dbss.js repro --seed ${seed} --runs ${runs}\`) rewrites this directory byte for byte.`,
    `- Seed ${seed}, ${runs} runs per experiment and method; run i of every experiment uses the random streams of "${seed}/run-i".`,
    `- Every fault happens ${fixed(FAULT_AT_S, 2)} s after the first monitoring tick (the midpoint of the 10 s interval, as in the paper).`,
    '- Parameters: the defaults, that is Table 1, the step durations read off Fig. 14 and the assumptions listed at the end.',
    `- The paper\'s values are means of 10 runs without a spread; ours are means of ${runs} runs with the range and the 95 % confidence interval of the mean (Student\'s t).`,
    `- All numbers: [\`${input.files.csv}\`](${input.files.csv}), one row per experiment x method x server x metric (seconds, 3 decimals; error_pct is the signed error of the simulated mean against the paper).`,
    '',
    `**Summary:** ${within} of ${values.length} Table 2 values are within ${LIMIT_PCT} % of the paper; the ring-vs-P2P difference has the paper's sign in ${agree} of ${input.signs.length} cells.`,
    '',
  ].join('\n');
}

function upperSection(input: ReportInput): string {
  const cells = input.cells.filter((c) => c.group === 'table2-upper' && UPPER_METRICS.includes(c.metric));
  return [
    '## Table 2 (upper): one failed target, FTP managed by Mail',
    '',
    'Times in seconds: function and target recovery from the detection, client disconnection from the first failed to the first successful client access.',
    '',
    mdTable(['fault', 'time', ...COMPARED_HEADERS], cells.map((c) => comparedRow(c, [c.fault, METRIC_TITLE[c.metric].toLowerCase()]))),
    '',
    `![Table 2 upper: paper vs simulated](${input.files.upper})`,
    '',
  ].join('\n');
}

function lowerSection(input: ReportInput): string {
  const cells = input.cells.filter((c) => c.group === 'table2-lower' && c.metric === 'function_recovery');
  const faultOf = (experiment: string, server: string): string => cells.find((c) => c.experiment === experiment && c.server === server)?.fault ?? '';
  return [
    '## Table 2 (lower): FTP and Web 1 fail at once',
    '',
    'Function recovery in seconds. Ring: Mail manages FTP and, by dynamic management extension, Web 1. P2P: Mail (P1) ' +
      'manages FTP; Web 2 (P2) takes over Web 1 because FTP, its P1, has failed. The paper\'s cells are read as in ' +
      'docs/paper-reference.md (the St-like value belongs to the server with St). Target recovery and client disconnection of these ' +
      'runs are in the CSV only: the paper gives none.',
    '',
    mdTable(
      ['FTP fault', 'Web 1 fault', 'server', ...COMPARED_HEADERS],
      cells.map((c) => comparedRow(c, [faultOf(c.experiment, 'FTP'), faultOf(c.experiment, 'Web1'), serverTitle(c.server)])),
    ),
    '',
    `![Table 2 lower: paper vs simulated](${input.files.lower})`,
    '',
  ].join('\n');
}

function fig15Section(input: ReportInput): string {
  const cells = input.cells.filter((c) => c.group === 'fig15');
  const metrics: Metric[] = ['detection', 'function_recovery', 'target_recovery', 'client_disconnection'];
  const ordered = metrics.flatMap((m) => cells.filter((c) => c.metric === m));
  return [
    '## Fig. 15: Mail, FTP and Web 1 shut down (Nt) at once',
    '',
    'The paper\'s results of this experiment are withheld from the project, so there is no paper column: these are ' +
      'predictions. Detection is counted from the fault (the paper\'s recovery times count from the detection, which ' +
      'hides how late a failure is found). Ring: Login finds all three failures through internal monitoring (the ' +
      'heartbeat file) and handles them. Its three DBSSs (Mail, its operation target, then FTP and Web 1 by dynamic ' +
      'management extension, in ring order) detect at the same instant, since an Nt examination ends at the fixed Tnd; ' +
      'their A3, A4 and procedure file sends then take turns on Login (see the assumptions), in the order the DBSSs ' +
      'issue them: Mail first, FTP about one procedure file send (0.28 s) later, Web 1 about two later. P2P (Sec. 5.3): Login detects Mail, then starts the program that manages FTP, ' +
      'which detects FTP after a further network examination; Web 2 manages Web 1.',
    '',
    mdTable(
      ['server', 'time', 'ring simulated mean [min-max]', 'ring 95 % CI', 'P2P simulated mean [min-max]', 'P2P 95 % CI', 'P2P - ring'],
      ordered.map((c) => [
        serverTitle(c.server),
        METRIC_TITLE[c.metric].toLowerCase(),
        meanRange(c.ring.summary),
        ci(c.ring.summary),
        meanRange(c.p2p.summary),
        ci(c.p2p.summary),
        c.ring.summary === null || c.p2p.summary === null ? '' : `${signed(c.p2p.summary.mean - c.ring.summary.mean, 2)} s`,
      ]),
    ),
    '',
    fig15Detection(cells),
    '',
    `![Fig. 15 simulated](${input.files.fig15})`,
    '',
  ].join('\n');
}

/** fig15Detection explains, from each method's mechanism, each server's detection, function recovery and client disconnection. */
function fig15Detection(cells: readonly Cell[]): string {
  const cell = (server: string, metric: Metric): Cell | undefined => cells.find((c) => c.server === server && c.metric === metric);
  const p2p = (server: string, metric: Metric): string => fixed(cell(server, metric)?.p2p.summary?.mean ?? NaN, 2);
  const ring = (server: string, metric: Metric): string => fixed(cell(server, metric)?.ring.summary?.mean ?? NaN, 2);
  const later = cells
    .filter((c) => c.metric === 'detection' && c.ring.summary !== null && c.p2p.summary !== null)
    .map((c) => `${serverTitle(c.server)} ${signed((c.p2p.summary?.mean ?? 0) - (c.ring.summary?.mean ?? 0), 2)} s`);
  const order = cells
    .filter((c) => c.metric === 'client_disconnection' && c.p2p.summary !== null)
    .sort((a, b) => (b.p2p.summary?.mean ?? 0) - (a.p2p.summary?.mean ?? 0))
    .map((c) => `${serverTitle(c.server)} ${fixed(c.p2p.summary?.mean ?? NaN, 2)} s`);
  return (
    `P2P detection minus ring detection: ${later.join(', ')}. The S.file synchronises the monitoring times of all ` +
    'the P2P servers (Sec. 2.3): in our model it sets their schedule (the UNIX-time ticks), and a server whose S.file ' +
    'does not come monitors at its tick all the same. Here Mail, the first running server of the group file, which ' +
    'broadcasts the S.file, is down, and the others lose no time for it, as Sec. 5.3 has it: Login detects Mail and ' +
    'the chain that follows is counted in Tnd lapses only. ' +
    `Mail: Login, its P1, examines it at the first tick after the fault and finds it after Tnd, at ${p2p('Mail', 'detection')} s, as the ring does. ` +
    `Web 1: its P1 is FTP, down too, so Web 2, its P2, which examines it at the same tick, finds it at ${p2p('Web1', 'detection')} s and takes it over as P1. ` +
    'FTP: its P1 is Mail, so nobody examines FTP until Login has re-examined Mail (a lapse of Tnd) and started the ' +
    'program that manages FTP, which detects it after another lapse of Tnd (Sec. 5.3), at ' +
    `${p2p('FTP', 'detection')} s: two Tnd plus the load collection, the file edit and the program start after Mail. ` +
    `Function recovery, counted from the detection: Mail ${p2p('Mail', 'function_recovery')} s and FTP ${p2p('FTP', 'function_recovery')} s, ` +
    'whose P1 (Login) first starts the programs of Sec. 2.3 that manage the next server with P1 and itself with P2; ' +
    `Web 1 ${p2p('Web1', 'function_recovery')} s: Web 2 takes it over "rather than" FTP (Sec. 2.3) and makes the same two program starts before the ` +
    'virtual server, for the roles FTP and Web 1 held: it asks the server before FTP in its files for a P1 program for Web 2, which is ' +
    'mostly Mail, down too (the command fails, at the same cost in our model), and Login once Login has separated Mail first. ' +
    'Client disconnection spans the detection and the function recovery, in whole client accesses: ' +
    `${order.join(', ')}. FTP is the longest by its chained detection; Mail and Web 1 are detected at the ring's tick, ` +
    `so theirs differ from the ring's (${ring('Mail', 'client_disconnection')} s and ${ring('Web1', 'client_disconnection')} s) ` +
    'only where P2P\'s longer function recovery crosses a client access (about 2 s apart during an Nt outage). ' +
    `Ring: all three are detected at ${ring('Mail', 'detection')}, ${ring('FTP', 'detection')} and ${ring('Web1', 'detection')} s, ` +
    `at the same tick; function recovery follows their turns on Login: Mail ${ring('Mail', 'function_recovery')} s, ` +
    `FTP ${ring('FTP', 'function_recovery')} s, Web 1 ${ring('Web1', 'function_recovery')} s. Client disconnection (Mail ` +
    `${ring('Mail', 'client_disconnection')} s, FTP ${ring('FTP', 'client_disconnection')} s, Web 1 ${ring('Web1', 'client_disconnection')} s) ` +
    'spans the same detection and these recoveries in whole client accesses, about 2 s apart during an Nt outage, so ' +
    'the turns (fractions of a second) show in it only where they push a recovery past an access.'
  );
}

function timelineSection(input: ReportInput): string {
  const t = input.repro.timeline;
  const first = firstEventTimes(t);
  const rows = FIG14_EVENTS.map((e) => {
    const ours = first.get(e.event);
    return [e.what, fixed(e.afterFaultS, 2), ours === undefined ? 'not logged' : fixed(ours, 2), ours === undefined ? '' : signed(ours - e.afterFaultS, 2)];
  });
  return [
    '## One Nt run drawn like Fig. 14',
    '',
    `Run ${t.run} of the ring's Table 2 (upper) Nt experiment: FTP shut down, Mail recovers it. Each system-log event of ` +
      'Fig. 14 at our time and at the paper\'s, in seconds after the fault.',
    '',
    `![Fig. 14 replayed](${input.files.timeline})`,
    '',
    mdTable(['event (paper clock)', 'paper', 'ours', 'ours - paper'], rows),
    '',
  ].join('\n');
}

function signSection(input: ReportInput): string {
  const rows = input.signs.map((s) => [cellName(s.cell), `${signed(s.paperDiff, 2)} s`, `${signed(s.oursDiff, 3)} s`, s.agrees ? 'yes' : 'no']);
  const agree = input.signs.filter((s) => s.agrees).length;
  return [
    '## Ring vs P2P, cell by cell',
    '',
    `P2P mean minus ring mean, in the paper and in the simulation. The sign agrees in ${agree} of ${input.signs.length} cells ` +
      '(a simulated difference of exactly zero has no sign and counts as not agreeing).',
    '',
    mdTable(['cell', 'paper P2P - ring', 'ours P2P - ring', 'same sign'], rows),
    '',
  ].join('\n');
}

function assumptionsSection(input: ReportInput): string {
  const rows = input.assumptions.map((a) => [`${a.owner}.${a.name}`, a.value, a.kind, a.reason]);
  return [
    '## Model assumptions',
    '',
    'Every parameter whose default is not printed in the paper: "assumption" is a value the paper does not give; ' +
      '"figure" is read off the system log of Fig. 14 (one Nt run); "derived" is computed from the paper\'s numbers by ' +
      'a reading of ours. Protocol parameters (Params) come from src/paper/params.ts, world timings (SimParams) from ' +
      'src/paper/testbed.ts; the parameters taken straight from Table 1 or the text are not listed.',
    '',
    mdTable(['parameter', 'value', 'source', 'reason'], rows),
    '',
    'Readings of the paper\'s text that shape a mechanism rather than a parameter:',
    '',
    mdTable(['mechanism', 'our reading', 'the text it rests on'], MECHANISM_READINGS.map((m) => [m.what, m.reading, m.text])),
    '',
  ].join('\n');
}

/** reportMarkdown assembles REPORT.md. */
export function reportMarkdown(input: ReportInput): string {
  const paperCells = input.cells.filter((c) => c.ring.paper !== null);
  return [
    header(input),
    upperSection(input),
    lowerSection(input),
    fig15Section(input),
    timelineSection(input),
    signSection(input),
    differencesSection({ cells: paperCells, signs: input.signs, bootCells: input.bootCells }),
    assumptionsSection(input),
  ].join('\n');
}
