// A long file (past INDEXED_FROM_LINES) is edited through indexes: by line, and for a Mod that keeps
// its key in a file whose keys are each on one line, by key (key-index.ts soleKeyedPosition). Both
// must give exactly what a scan of the lines gives, whatever the edits do to the keys.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { INDEXED_FROM_LINES, hasKey, keyedPositionFrom } from '../../../src/core/model/key-index.ts';
import { applyToLines, type EditOutcome, type SemEdit } from '../../../src/core/model/sem.ts';

const SERVERS = Array.from({ length: INDEXED_FROM_LINES + 8 }, (_, i) => `S${i}`);

/** scanned is applyToLines for the heartbeat file as the paper's six-line files are edited: by scanning the lines. */
function scanned(lines: string[], edit: SemEdit): EditOutcome {
  if (edit.op === 'Add') {
    if (lines.includes(edit.line)) return 'duplicate';
    lines.push(edit.line);
    return 'applied';
  }
  if (edit.op === 'Del') {
    const i = lines.indexOf(edit.line);
    if (i < 0) return 'missing';
    lines.splice(i, 1);
    return 'applied';
  }
  const [i, j] = [lines.indexOf(edit.oldLine), lines.indexOf(edit.newLine)];
  if (i >= 0) {
    if (edit.oldLine === edit.newLine) return 'duplicate';
    if (j >= 0) lines.splice(i, 1);
    else lines[i] = edit.newLine;
    return 'applied';
  }
  if (j >= 0) return 'duplicate';
  const key = edit.oldLine.split(' ')[0] as string;
  const candidates = lines.flatMap((line, k) => (hasKey(line, key) ? [k] : []));
  if (candidates.length !== 1) return 'missing';
  lines[candidates[0] as number] = edit.newLine;
  return 'resolvedByKey';
}

// Few servers and times, so that repeated lines, missed lines and two lines of one key all happen.
const serverArb = fc.constantFrom(...SERVERS.slice(0, 6));
const lineArb = fc.tuple(serverArb, fc.integer({ min: 0, max: 3 })).map(([s, t]) => `${s} ${t}`);
const editArb: fc.Arbitrary<SemEdit> = fc.oneof(
  { weight: 1, arbitrary: fc.record({ file: fc.constant('heartbeat.file' as const), op: fc.constantFrom('Add' as const, 'Del' as const), line: lineArb }) },
  {
    weight: 4,
    arbitrary: fc.tuple(serverArb, fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 3 }), fc.option(serverArb)).map(
      ([s, t1, t2, other]): SemEdit => ({ file: 'heartbeat.file', op: 'Mod', oldLine: `${s} ${t1}`, newLine: `${other ?? s} ${t2}` }),
    ),
  },
);

describe('SEM edits of a long file', () => {
  it('give the outcomes and lines a scan of the lines would give', () => {
    fc.assert(
      fc.property(fc.array(editArb, { maxLength: 80 }), (edits) => {
        const indexed = SERVERS.map((s) => `${s} 0`);
        const scan = indexed.slice();
        for (const edit of edits) {
          expect(applyToLines(indexed, edit)).toBe(scanned(scan, edit));
          expect(indexed).toEqual(scan);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('a lookup that starts where a line was found before finds the first line with the key, as a scan does', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(editArb, serverArb, fc.integer({ min: -2, max: SERVERS.length + 2 })), { maxLength: 80 }), (steps) => {
        const lines = SERVERS.map((s) => `${s} 0`);
        // hints kept per key, as a program keeps the places of its own and its target's lines
        const hints = new Map<string, number>();
        for (const [edit, key, stray] of steps) {
          applyToLines(lines, edit);
          const first = lines.findIndex((line) => hasKey(line, key));
          const found = keyedPositionFrom(lines, key, hints.get(key) ?? -1);
          expect(found).toBe(first);
          hints.set(key, found);
          // any other place, stale or out of range, is only a hint
          expect(keyedPositionFrom(lines, key, stray)).toBe(first);
        }
      }),
      { numRuns: 300 },
    );
  });
});
