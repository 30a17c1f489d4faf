// The report's "Where the simulation differs" section, generated from the numbers: the Table 2
// values more than 10 % from the paper, the cells whose ring-vs-P2P difference has another sign
// than the paper's, and the explanations of the mechanisms behind the differences, each keyed to
// the cells it is about and quoting their measured errors.
import type { Cell, SignComparison } from './cells.ts';
import { cellKey } from './cells.ts';
import { fixed, signed } from './format.ts';
import { METRIC_TITLE, serverTitle } from './labels.ts';
import { mdTable, paperCell, pct } from './markdown.ts';
import { defaultSimParams } from '../paper/testbed.ts';
import { TABLE1_START_S } from '../paper/testbed.ts';

/** LIMIT_PCT is the issue's bar: every Table 2 value within 10 % of the paper. */
export const LIMIT_PCT = 10;

export interface DifferenceInput {
  /** cells of the default run that have paper values. */
  cells: readonly Cell[];
  signs: readonly SignComparison[];
  /** bootCells are Table 2 upper's cells rerun with Table 1's start time as the boot. */
  bootCells: readonly Cell[];
}

/** Side names one of a cell's two values. */
export type Side = 'ring' | 'P2P';

interface Explanation {
  id: string;
  title: string;
  /** applies says whether the explanation is about this cell's value for this method. */
  applies: (cell: Cell, side: Side) => boolean;
  /** aboutSign marks the explanations of a ring-vs-P2P difference. */
  aboutSign?: boolean;
  text: (input: DifferenceInput, cells: readonly Cell[]) => string;
}

/** cellName names a cell for prose: "table2-upper-st FTP target recovery". */
export function cellName(c: Cell): string {
  return `${c.experiment} ${serverTitle(c.server)} ${METRIC_TITLE[c.metric].toLowerCase()}`;
}

const errors = (cells: readonly Cell[]): string =>
  cells.map((c) => `${cellName(c)}: ring ${pct(c.ring.errorPct)}, P2P ${pct(c.p2p.errorPct)}`).join('; ');

const isTable2 = (c: Cell): boolean => c.ring.paper !== null;

const EXPLANATIONS: readonly Explanation[] = [
  {
    id: 'nt-function-by-construction',
    title: 'Nt function recovery matches by construction',
    applies: (c, side) => isTable2(c) && c.metric === 'function_recovery' && c.fault === 'Nt' && side === 'ring',
    text: (_input, cells) =>
      'The world step durations on the Nt recovery path (A3 load collection 0.08 s, A4 file edit 0.02 s, the ' +
      'installation procedure 0.28 s, the VIP set 0.15 s) are read off Fig. 14, which is one Nt run of FTP under the ' +
      'ring, so the ring\'s Nt function recovery reproduces a measurement the model was fitted to rather than predicts ' +
      'it; the other ring cells with Nt take the same path. St function recovery and every other cell (P2P, target ' +
      `recovery, client disconnection) are predictions of the same timings. Errors: ${errors(cells)}.`,
  },
  {
    id: 'boot-choice',
    title: 'Target recovery uses the boot of Fig. 14, not Table 1\'s start time',
    applies: (c) => isTable2(c) && c.metric === 'target_recovery',
    text: (input, cells) => {
      const rows = input.bootCells
        .filter((c) => c.metric === 'target_recovery')
        .map((c) => {
          const base = cells.find((b) => cellKey(b) === cellKey(c));
          const mean = (x: Cell['ring'] | undefined): string => (x?.summary ? fixed(x.summary.mean, 2) : 'never');
          return [c.fault, paperCell(c.ring.paper), mean(base?.ring), mean(c.ring), pct(c.ring.errorPct), paperCell(c.p2p.paper), mean(base?.p2p), mean(c.p2p), pct(c.p2p.errorPct)];
        });
      return (
        'The boot, from power-on until the services answer, is Fig. 14\'s 28.34 s (Wake-on-LAN at 13:44:04.78 to ' +
        `"started normally" at 13:44:33.12), not Table 1's real server start time of ${TABLE1_START_S} s. This is a choice: ` +
        'Table 2\'s Nt target recovery (81.74 s) agrees with Fig. 14\'s own run (81.66 s), so Table 1 seems to time ' +
        'something longer than service readiness. The same experiments rerun with the boot set to ' +
        `${TABLE1_START_S} s (same seed and runs), target recovery in seconds:\n\n` +
        mdTable(
          ['fault', 'ring paper', 'ring, boot 28.34 s', `ring, boot ${TABLE1_START_S} s`, 'error', 'P2P paper', 'P2P, boot 28.34 s', `P2P, boot ${TABLE1_START_S} s`, 'error'],
          rows,
        ) +
        `\n\nErrors with the default boot: ${errors(cells)}.`
      );
    },
  },
  {
    id: 'st-restart-after-reexamination',
    title: 'St target recovery: when the restart begins',
    applies: (c) => isTable2(c) && c.metric === 'target_recovery' && c.fault === 'St',
    text: (_input, cells) =>
      `St target recovery ${cells.every((c) => (c.ring.errorPct ?? 0) > 0 && (c.p2p.errorPct ?? 0) > 0) ? 'sits above' : 'differs from'} the paper (${errors(cells)}). Our restart is issued by the background job ` +
      'after the re-examination has confirmed the service problem, and then takes the shutdown (2.26 s) and the boot ' +
      '(28.34 s). The paper\'s 33.23 s is shorter than its own restart time of Table 1 (33.33 s), counted from ' +
      'detection, so its restart must begin at or before detection, which the paper does not describe. We keep the ' +
      'restart where the paper\'s text puts it rather than move it to match.',
  },
  {
    id: 'nt-client-quantised',
    title: 'Client disconnection for Nt is quantised',
    applies: (c) => isTable2(c) && c.metric === 'client_disconnection' && c.fault === 'Nt',
    text: (_input, cells) =>
      'A failed access to a server that does not answer times out after 1 s and the client waits 1 s before the next, ' +
      'so during an outage the accesses are about 2 s apart and the disconnection comes out near 12 s. The paper\'s ' +
      '11.64 s mean suggests that its first failed access comes later after a shutdown (Fig. 14 shows it 1.36 s after ' +
      'the fault), which we do not model: an Nt fault stops the simulated server at once. ' +
      `Errors: ${errors(cells)}.`,
  },
  {
    id: 'ring-vs-p2p',
    title: 'Ring vs P2P',
    applies: (c) => isTable2(c) && !isTakeover(c) && (c.metric === 'function_recovery' || c.metric === 'target_recovery'),
    aboutSign: true,
    text: (input) => {
      const sim = defaultSimParams();
      const startsS = (2 * sim.programStartUs + sim.remoteCommandUs) / 1e6;
      const fr = input.signs.filter((s) => s.cell.metric === 'function_recovery' && !isTakeover(s.cell));
      return (
        'Our P2P is slower than the ring by the program starts of Sec. 2.3 before the virtual server: the program that ' +
        `manages the next server as P1 and, on that server, the one that manages the recovered target as P2 (an assumed ${fixed(sim.programStartUs / 1e6, 2)} s ` +
        `each, plus an SSH command of ${fixed(sim.remoteCommandUs / 1e6, 2)} s for the remote one: ${fixed(startsS, 2)} s in all), and by the U.file hand-over to P2 ` +
        `(another SSH command) before the VIP moves back. Function recovery where P1 recovers: ours ${diffs(fr)}. ` +
        'Target recovery adds only the U.file hand-over, far less than its run-to-run spread (the boot varies by ' +
        `${fixed(sim.variationFraction * 100, 0)} %), so its sign over ${input.signs[0]?.cell.ring.summary?.n ?? 0} runs is not a finding.`
      );
    },
  },
  {
    id: 'p2-takeover',
    title: 'P2 taking over as P1 (Web 1 in Table 2 lower)',
    applies: (c, side) => isTakeover(c) && side === 'P2P',
    aboutSign: true,
    text: (input) => {
      const sim = defaultSimParams();
      const startsS = (2 * sim.programStartUs + sim.remoteCommandUs) / 1e6;
      const takeovers = input.signs.filter((s) => isTakeover(s.cell));
      const p2pErrors = input.cells.filter(isTakeover).map((c) => `${c.experiment} ${pct(c.p2p.errorPct)}`);
      // The take-over against P2P's one-fault P1 recovery (Table 2 upper) of the same fault, paper and ours.
      const single = (fault: string): Cell | undefined => input.cells.find((c) => c.experiment === `table2-upper-${fault.toLowerCase()}` && c.metric === 'function_recovery');
      const overSingle = input.cells.filter(isTakeover).map((c) => {
        const one = single(c.fault);
        const paper = (c.p2p.paper ?? NaN) - (one?.p2p.paper ?? NaN);
        const ours = (c.p2p.summary?.mean ?? NaN) - (one?.p2p.summary?.mean ?? NaN);
        return `${c.experiment} paper ${signed(paper, 2)} s, ours ${signed(ours, 2)} s`;
      });
      return (
        'In Table 2 lower FTP, Web 1\'s P1, has failed too, so Web 2 (P2) takes over as P1. Our P2 re-examines Web 1 ' +
        'and examines FTP at the same time; once both fail it starts a P1 program for Web 1 and performs the operation ' +
        'with P1 "rather than" FTP (Sec. 2.3), with the two program starts FTP would have made before its virtual ' +
        'server. In a P1\'s recovery these give the servers beside the failed target their new partners; here FTP and ' +
        'Web 1 have both failed, so Mail, the server before FTP, is asked to start the program that manages Web 2 with ' +
        `P1 and Web 2 starts the one that manages Mail with P2 (one SSH command and two program starts, ${fixed(startsS, 2)} s, as a P1's). ` +
        'Web 2 is not Mail, so Web 1\'s A3, A4 and procedure file send wait for nothing, whereas the ring\'s Web 1 DBSS ' +
        `runs on Mail beside FTP's and takes its turn there (see the assumptions): ${diffs(takeovers)}. ` +
        `P2P errors: ${p2pErrors.join(', ')}. Against P2P's one-fault P1 recovery of the same fault (Table 2 upper): ` +
        `${overSingle.join('; ')}. With one St and one Nt ours is close to the paper's; where both targets fail alike the ` +
        'paper\'s take-over is slower still and ours is not: Mail and Web 2 then work at the same instants, but on ' +
        'different servers, and we find nothing in the text that one would wait for the other on. That is the rest of ' +
        'the Nt/Nt gap; we do not add a delay for it.'
      );
    },
  },
  {
    id: 'client-step',
    title: 'Client disconnection is counted in whole accesses',
    applies: (c) => isTable2(c) && c.metric === 'client_disconnection',
    aboutSign: true,
    text: (input) => {
      const client = input.signs.filter((s) => s.cell.metric === 'client_disconnection');
      const zero = client.filter((s) => s.oursDiff === 0).length;
      return (
        'Client disconnection moves in steps of whole client accesses, about 1 s apart with St and 2 s apart with Nt. ' +
        'The paper\'s P2P-minus-ring differences (0.02-0.04 s) are far below that step. Within one run, ring and P2P ' +
        'share the client\'s timing (the same seed), so they see the same accesses unless P2P\'s later function ' +
        `recovery crosses one: the difference is exactly zero in ${zero} of ${client.length} cells (${diffs(client)}).`
      );
    },
  },
];

/** isTakeover: Web 1's function recovery in Table 2 lower, where P2P's P2 takes over as P1. */
function isTakeover(c: Cell): boolean {
  return c.group === 'table2-lower' && c.server === 'Web1' && c.metric === 'function_recovery';
}

/** diffs lists the paper's and our P2P-minus-ring differences of some cells. */
function diffs(signs: readonly SignComparison[]): string {
  return signs.map((s) => `${cellName(s.cell)} paper ${signed(s.paperDiff, 2)} s, ours ${signed(s.oursDiff, 2)} s`).join('; ');
}

/** noiseNote says when a simulated difference is smaller than the 95 % half-widths of the two means together. */
function noiseNote(s: SignComparison): string {
  const r = s.cell.ring.summary;
  const p = s.cell.p2p.summary;
  if (r === null || p === null || r.ci95 === null || p.ci95 === null || s.oursDiff === 0) return '';
  const noise = Math.hypot(r.ci95, p.ci95);
  if (Math.abs(s.oursDiff) >= noise) return '';
  return ` The simulated difference is within the noise of ${r.n} runs (95 % half-widths ${fixed(r.ci95, 2)} s ring, ${fixed(p.ci95, 2)} s P2P).`;
}

/** explanationsOf lists the titles of the explanations about a cell's value. */
function explanationsOf(cell: Cell, side: Side, signOnly = false): string[] {
  return EXPLANATIONS.filter((e) => e.applies(cell, side) && (!signOnly || e.aboutSign === true)).map((e) => `"${e.title}"`);
}

/** differencesSection renders the whole section from the numbers. */
export function differencesSection(input: DifferenceInput): string {
  const out: string[] = ['## Where the simulation differs', '', 'This section is generated from the numbers above; the explanations are keyed to the cells they are about.', ''];
  const values = input.cells.flatMap((c) => [
    { cell: c, side: 'ring' as Side, row: c.ring },
    { cell: c, side: 'P2P' as Side, row: c.p2p },
  ]);
  const beyond = values.filter((v) => v.row.errorPct === null || Math.abs(v.row.errorPct) > LIMIT_PCT);
  const absError = (v: (typeof values)[number]): number => Math.abs(v.row.errorPct ?? Infinity);
  const worst = values.length === 0 ? undefined : values.reduce((a, b) => (absError(b) > absError(a) ? b : a));
  out.push(`### Table 2 values more than ${LIMIT_PCT} % from the paper`, '');
  if (worst === undefined) {
    out.push('No Table 2 value was simulated.', '');
  } else if (beyond.length === 0) {
    out.push(`None: all ${values.length} Table 2 values (ring and P2P) are within ${LIMIT_PCT} % of the paper. The largest error is ${pct(worst.row.errorPct)} (${cellName(worst.cell)}, ${worst.side}).`, '');
  } else {
    out.push(`${values.length - beyond.length} of ${values.length} Table 2 values (ring and P2P) are within ${LIMIT_PCT} % of the paper; these are not:`, '');
    for (const v of beyond) {
      const ids = explanationsOf(v.cell, v.side);
      const why = ids.length === 0 ? 'no explanation is written for this cell yet' : `see ${ids.join(', ')} below`;
      out.push(`- ${cellName(v.cell)}, ${v.side}: ${v.row.summary === null ? 'never happened' : `${fixed(v.row.summary.mean, 2)} s`} against ${paperCell(v.row.paper)} s (${pct(v.row.errorPct)}); ${why}.`);
    }
    out.push('');
  }
  const differ = input.signs.filter((s) => !s.agrees);
  out.push("### Cells whose ring-vs-P2P difference has another sign than the paper's", '');
  out.push(`${input.signs.length - differ.length} of ${input.signs.length} cells agree with the paper's sign (P2P slower than the ring in every cell of the paper); a simulated difference of exactly zero counts as not agreeing.`, '');
  for (const s of differ) {
    const ids = explanationsOf(s.cell, 'P2P', true);
    const why = ids.length === 0 ? 'No explanation is written for this cell yet.' : `See ${ids.join(', ')} below.`;
    out.push(`- ${cellName(s.cell)}: paper P2P - ring ${signed(s.paperDiff, 2)} s, ours ${signed(s.oursDiff, 3)} s. ${why}${noiseNote(s)}`);
  }
  if (differ.length > 0) out.push('');
  out.push('### Explanations', '');
  for (const e of EXPLANATIONS) {
    const cells = input.cells.filter((c) => e.applies(c, 'ring') || e.applies(c, 'P2P'));
    if (cells.length === 0) continue;
    out.push(`#### ${e.title}`, '', e.text(input, cells), '');
  }
  return out.join('\n');
}
