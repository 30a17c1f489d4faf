// The baseline of known findings that `dbss explore --baseline FILE` compares a search with, so
// that accepted findings do not fail a script. A finding is known when the baseline has the same
// search (ring, p2p, ring-hardened), the same invariant and the same fault schedule. The file is
// reports/FINDINGS.md as findings-md.ts writes it (its "## <method>" sections, "### <invariant>"
// headings and "Minimal schedule" lines, parsed back into faults), or JSON: a list of findings
// { method, invariant, faults }, or what `dbss explore --json` prints.
import { InputError } from '../../core/model/input-error.ts';
import { describeFault, FAULT_TYPES } from '../../sim/world/faults.ts';
import type { Fault, FaultType } from '../../sim/world/faults.ts';
import { INVARIANTS } from '../../sim/checkers/index.ts';
import { HEADINGS } from './findings-md.ts';

/** KnownFinding is one finding of the baseline. */
export interface KnownFinding {
  /** method is the search's label: ring, p2p or ring-hardened. */
  method: string;
  invariant: string;
  faults: Fault[];
}

/** findingKey identifies a finding: its search, its invariant and its schedule as describeFault prints it. */
export function findingKey(method: string, invariant: string, faults: readonly Fault[]): string {
  return `${method} ${invariant} ${faults.map(describeFault).join('; ')}`;
}

/** parseBaseline reads either form, told apart by the first character that is not white space. */
export function parseBaseline(text: string, file: string): KnownFinding[] {
  return text.trimStart().startsWith('[') || text.trimStart().startsWith('{') ? parseJsonBaseline(text, file) : parseFindingsMarkdown(text, file);
}

const LABELS = new Map(Object.entries(HEADINGS).map(([label, heading]) => [heading, label]));
const SCHEDULE = /^- Minimal schedule \((\d+) faults?\): (.*)$/;
const KNOWN_INVARIANTS: readonly string[] = INVARIANTS;
const MARKDOWN_EXPECTED = `reports/FINDINGS.md (findings under its ${Object.values(HEADINGS).map((h) => `"## ${h}"`).join(', ')} sections) or a JSON list of findings`;

/** parseFindingsMarkdown reads FINDINGS.md back: each "### invariant" under a method's section, with its minimal schedule. */
export function parseFindingsMarkdown(text: string, file: string): KnownFinding[] {
  const lines = text.split(/\r?\n/);
  const found: KnownFinding[] = [];
  let method: string | null = null;
  let methodSections = 0;
  let open: { invariant: string; line: number } | null = null;
  const close = (): void => {
    if (open !== null) throw new InputError(file, open.line, 'finding', 'a "- Minimal schedule (N faults): ..." line under the heading', `### ${open.invariant}`);
  };
  lines.forEach((line, i) => {
    const section = /^## (.+)$/.exec(line);
    if (section !== null) {
      close();
      // Findings are read under the methods' sections only; the others ("What each extension closes", ...) explain them.
      method = LABELS.get(section[1] as string) ?? null;
      if (method !== null) methodSections++;
      return;
    }
    const finding = /^### (.+)$/.exec(line);
    if (finding !== null && method !== null) {
      close();
      const invariant = finding[1] as string;
      if (!KNOWN_INVARIANTS.includes(invariant)) throw new InputError(file, i + 1, 'finding', `an invariant, one of ${KNOWN_INVARIANTS.join(', ')}`, invariant);
      open = { invariant, line: i + 1 };
      return;
    }
    const schedule = SCHEDULE.exec(line);
    if (schedule !== null && open !== null && method !== null) {
      const faults = (schedule[2] as string).split('; ').map((f) => parseFault(f, file, i + 1));
      if (faults.length !== Number(schedule[1])) throw new InputError(file, i + 1, 'finding', `a schedule of as many faults as it says (${schedule[1]})`, `${faults.length} faults`);
      found.push({ method, invariant: open.invariant, faults });
      open = null;
    }
  });
  close();
  if (methodSections === 0) throw new InputError(file, null, 'baseline', MARKDOWN_EXPECTED, text.trim() === '' ? 'an empty file' : (lines[0] ?? '').slice(0, 60));
  return found;
}

const FAULT = /^(\w+) (\S+) at (-?[\d.e+-]+) s(?: by (-?[\d.e+-]+) s| for ([\d.e+-]+) s(?: \(\+([\d.e+-]+) s\))?)?$/;

/** parseFault reads describeFault's form back ("SemDelay Mail at 3.5 s for 30 s (+6 s)") and checks that it prints the same. */
export function parseFault(text: string, file: string, line: number | null): Fault {
  const m = FAULT.exec(text);
  const type = m?.[1] as FaultType | undefined;
  if (m === null || type === undefined || !FAULT_TYPES.includes(type)) throw new InputError(file, line, 'fault', `a fault as "<type> <server> at <t> s[ for <d> s| by <o> s]", type one of ${FAULT_TYPES.join(', ')}`, text);
  const us = (s: string | undefined): number | undefined => (s === undefined ? undefined : Math.round(Number(s) * 1e6));
  const fault: Fault = { server: m[2] as string, type, atUs: us(m[3]) as number };
  if (m[4] !== undefined) fault.offsetUs = us(m[4]);
  if (m[5] !== undefined) fault.durationUs = us(m[5]);
  if (m[6] !== undefined) fault.delayUs = us(m[6]);
  // The key compares printed schedules: a fault that prints differently would never match.
  if (describeFault(fault) !== text) throw new InputError(file, line, 'fault', `a fault as dbss explore prints it (${describeFault(fault)})`, text);
  return fault;
}

/** parseJsonBaseline reads a JSON list of { method, invariant, faults }, or dbss explore --json's { methods: [{ label, findings }] }. */
export function parseJsonBaseline(text: string, file: string): KnownFinding[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new InputError(file, null, 'baseline', 'JSON or the Markdown of reports/FINDINGS.md', (e as Error).message);
  }
  const list = Array.isArray(json) ? json : isRecord(json) && Array.isArray(json.methods) ? json.methods.flatMap((m: unknown) => (isRecord(m) && Array.isArray(m.findings) ? m.findings : [])) : null;
  if (list === null) throw new InputError(file, null, 'baseline', 'a JSON list of findings { method, invariant, faults } or the JSON of dbss explore --json', typeof json);
  return list.map((entry: unknown, i: number) => knownFinding(entry, `${file}[${i}]`));
}

function knownFinding(entry: unknown, where: string): KnownFinding {
  if (!isRecord(entry) || typeof entry.method !== 'string' || typeof entry.invariant !== 'string' || !Array.isArray(entry.faults)) {
    throw new InputError(where, null, 'finding', '{ "method": string, "invariant": string, "faults": [...] }', shortJson(entry));
  }
  if (!Object.hasOwn(HEADINGS, entry.method)) throw new InputError(where, null, 'method', `one of ${Object.keys(HEADINGS).join(', ')}`, entry.method);
  if (!KNOWN_INVARIANTS.includes(entry.invariant)) throw new InputError(where, null, 'invariant', `one of ${KNOWN_INVARIANTS.join(', ')}`, entry.invariant);
  // Each fault goes through its printed form, so a JSON fault is checked as strictly as a Markdown one.
  const faults = entry.faults.map((f: unknown, j: number) => {
    if (!isRecord(f) || typeof f.server !== 'string' || typeof f.type !== 'string' || typeof f.atUs !== 'number') {
      throw new InputError(`${where}.faults[${j}]`, null, 'fault', '{ "server", "type", "atUs", ... } as dbss explore --json prints it', shortJson(f));
    }
    return parseFault(describeFault(f as unknown as Fault), `${where}.faults[${j}]`, null);
  });
  return { method: entry.method, invariant: entry.invariant, faults };
}

/** shortJson shows a value in a message: its JSON up to 80 characters, or its kind when it cannot be printed (nested too deep). */
function shortJson(x: unknown): string {
  try {
    return JSON.stringify(x)?.slice(0, 80) ?? String(x);
  } catch {
    return Array.isArray(x) ? 'a list nested too deep to print' : typeof x;
  }
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}
