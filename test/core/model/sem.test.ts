import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { groupLine, heartbeatLine, initialFiles, problemLine, ringNoOf } from '../../../src/core/model/management-files.ts';
import type { ManagementFiles, RingEntry } from '../../../src/core/model/management-files.ts';
import { InputError } from '../../../src/core/model/input-error.ts';
import { applyEdit, cloneFiles, diffLength, filesEqual, formatDiff, parseDiff } from '../../../src/core/model/sem.ts';
import type { EditOutcome, SemEdit } from '../../../src/core/model/sem.ts';
import { PAPER_RING } from '../paper-ring.ts';

const T0_UNIX_S = 1622708865;
const FTP_LINE = '2 FTP FTP.dat';

/** The edits Mail sends when it judges FTP failed and recovers it on Web2 (Sec. 3.1, Fig. 5). */
const FTP_FAILURE: SemEdit[] = [
  { file: 'group.file', op: 'Del', line: FTP_LINE },
  { file: 'separation.file', op: 'Add', line: FTP_LINE },
  { file: 'problem.file', op: 'Add', line: 'FTPb FTP Web2' },
];
/** The edits Mail sends when FTP is repaired (Sec. 2.4: problem line deleted, FTP back in the group file). */
const FTP_RECOVERY: SemEdit[] = [
  { file: 'problem.file', op: 'Del', line: 'FTPb FTP Web2' },
  { file: 'separation.file', op: 'Del', line: FTP_LINE },
  { file: 'group.file', op: 'Add', line: FTP_LINE },
];

function applyAll(files: ManagementFiles, edits: readonly SemEdit[]): EditOutcome[] {
  return edits.map((e) => applyEdit(files, e));
}

function diffError(text: string): InputError {
  try {
    parseDiff(text, 'Diff.dat', 7);
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return e as InputError;
  }
  throw new Error(`parseDiff accepted ${JSON.stringify(text)}`);
}

describe('SEM Diff.dat records (Sec. 3.1)', () => {
  it('writes the three record shapes of the paper', () => {
    expect(formatDiff({ file: 'group.file', op: 'Del', line: FTP_LINE })).toBe('group.file, Del, 2 FTP FTP.dat');
    expect(formatDiff({ file: 'problem.file', op: 'Add', line: 'FTPb FTP Web2' })).toBe('problem.file, Add, FTPb FTP Web2');
    expect(formatDiff({ file: 'heartbeat.file', op: 'Mod', oldLine: 'Mail 1622708865', newLine: 'Mail 1622708875' })).toBe(
      'heartbeat.file, Mod, Mail 1622708865, Mail 1622708875',
    );
  });

  it('counts the length of the record it would write without writing it', () => {
    const heartbeat: SemEdit = { file: 'heartbeat.file', op: 'Mod', oldLine: 'Mail 1622708865', newLine: 'Mail 1622708875' };
    for (const edit of [...FTP_FAILURE, ...FTP_RECOVERY, heartbeat]) expect(diffLength(edit), formatDiff(edit)).toBe(formatDiff(edit).length);
  });

  it('reads back what it writes, tolerating extra blanks and a CR', () => {
    for (const edit of [...FTP_FAILURE, ...FTP_RECOVERY]) expect(parseDiff(formatDiff(edit), 'Diff.dat', 1)).toEqual(edit);
    expect(parseDiff('heartbeat.file,Mod,  Mail   1 , Mail 2\r', 'Diff.dat', 1)).toEqual({
      file: 'heartbeat.file',
      op: 'Mod',
      oldLine: 'Mail 1',
      newLine: 'Mail 2',
    });
  });

  it('refuses to write a line that holds a comma', () => {
    expect(() => formatDiff({ file: 'problem.file', op: 'Add', line: 'a,b c d' })).toThrow(/comma/);
  });

  it.each([
    ['', 'file name'],
    ['operation.file, Add, Mail FTP FTP.dat', 'file name'],
    ['group.txt, Add, 2 FTP FTP.dat', 'file name'],
    ['group.file, Put, 2 FTP FTP.dat', 'operation'],
    ['group.file, Add', 'Diff.dat record'],
    ['group.file, Del, 2 FTP FTP.dat, 3 Web1 Web1.dat', 'Diff.dat record'],
    ['heartbeat.file, Mod, Mail 1', 'Diff.dat record'],
    ['group.file, Add, 2 FTP', 'group.file line'],
    ['group.file, Add, x FTP FTP.dat', 'No.'],
    ['heartbeat.file, Mod, Mail 1, Mail soon', 'UNIX time'],
    ['problem.file, Add, FTPb FTP Web 2', 'problem.file line'],
  ])('refuses the record %j and names the field %s', (text, field) => {
    const e = diffError(text);
    expect(e.file).toBe('Diff.dat');
    expect(e.line).toBe(7);
    expect(e.field).toBe(field);
    expect(e.message.startsWith(`Diff.dat:7: ${field}: expected `)).toBe(true);
  });
});

describe('applying SEM edits (Sec. 3.1, Fig. 5)', () => {
  it('keeps two replicas equal through the failure and recovery of FTP', () => {
    const mail = initialFiles(PAPER_RING, T0_UNIX_S);
    const web1 = initialFiles(PAPER_RING, T0_UNIX_S);
    expect(applyAll(mail, FTP_FAILURE)).toEqual(['applied', 'applied', 'applied']);
    // Web1 receives the same records over the wire.
    expect(applyAll(web1, FTP_FAILURE.map((e) => parseDiff(formatDiff(e), 'Diff.dat', 1)))).toEqual(['applied', 'applied', 'applied']);
    expect(filesEqual(mail, web1)).toBe(true);
    expect(mail['group.file']).not.toContain(FTP_LINE);
    expect(mail['separation.file']).toEqual([FTP_LINE]);
    expect(mail['problem.file']).toEqual(['FTPb FTP Web2']);

    applyAll(mail, FTP_RECOVERY);
    applyAll(web1, FTP_RECOVERY);
    expect(filesEqual(mail, web1)).toBe(true);
    expect(filesEqual(mail, initialFiles(PAPER_RING, T0_UNIX_S))).toBe(true);
  });

  it('puts a returning server back at its ring place in the group file', () => {
    const files = initialFiles(PAPER_RING, 0);
    applyEdit(files, { file: 'group.file', op: 'Del', line: '1 Mail Mail.dat' });
    applyEdit(files, { file: 'group.file', op: 'Del', line: FTP_LINE });
    applyEdit(files, { file: 'group.file', op: 'Del', line: '6 Login Login.dat' });
    applyEdit(files, { file: 'group.file', op: 'Add', line: FTP_LINE });
    applyEdit(files, { file: 'group.file', op: 'Add', line: '6 Login Login.dat' });
    applyEdit(files, { file: 'group.file', op: 'Add', line: '1 Mail Mail.dat' });
    expect(files['group.file']).toEqual(initialFiles(PAPER_RING, 0)['group.file']);
  });

  it('keeps the separation file in ring order whatever order servers fail in', () => {
    const files = initialFiles(PAPER_RING, 0);
    for (const line of ['5 Proxy Proxy.dat', FTP_LINE, '3 Web1 Web1.dat']) applyEdit(files, { file: 'separation.file', op: 'Add', line });
    expect(files['separation.file']).toEqual([FTP_LINE, '3 Web1 Web1.dat', '5 Proxy Proxy.dat']);
  });

  it('appends to the heartbeat and problem files', () => {
    const files = initialFiles(PAPER_RING.slice(1), 0);
    applyEdit(files, { file: 'heartbeat.file', op: 'Add', line: 'Mail 5' });
    applyEdit(files, { file: 'problem.file', op: 'Add', line: 'Web1b Web1 Mail' });
    applyEdit(files, { file: 'problem.file', op: 'Add', line: 'FTPb FTP Web2' });
    expect(files['heartbeat.file'].at(-1)).toBe('Mail 5');
    expect(files['problem.file']).toEqual(['Web1b Web1 Mail', 'FTPb FTP Web2']);
  });

  it('treats a repeated Add as a duplicate and a repeated Del as missing, changing nothing', () => {
    const files = initialFiles(PAPER_RING, 0);
    applyAll(files, FTP_FAILURE);
    const before = cloneFiles(files);
    expect(applyAll(files, FTP_FAILURE)).toEqual(['missing', 'duplicate', 'duplicate']);
    expect(filesEqual(files, before)).toBe(true);
    expect(files['separation.file']).toEqual([FTP_LINE]);
  });

  it('rewrites a heartbeat line in place', () => {
    const files = initialFiles(PAPER_RING, T0_UNIX_S);
    const edit: SemEdit = { file: 'heartbeat.file', op: 'Mod', oldLine: heartbeatLine('FTP', T0_UNIX_S), newLine: heartbeatLine('FTP', T0_UNIX_S + 10) };
    expect(applyEdit(files, edit)).toBe('applied');
    expect(files['heartbeat.file'][1]).toBe('FTP 1622708875');
    expect(files['heartbeat.file']).toHaveLength(6);
    expect(applyEdit(files, edit)).toBe('duplicate');
    expect(files['heartbeat.file']).toHaveLength(6);
  });

  it('resolves a Mod by key on a replica that missed the previous heartbeat', () => {
    const files = initialFiles(PAPER_RING, T0_UNIX_S);
    const missedToNext: SemEdit = { file: 'heartbeat.file', op: 'Mod', oldLine: 'Mail 1622708875', newLine: 'Mail 1622708885' };
    expect(applyEdit(files, missedToNext)).toBe('resolvedByKey');
    expect(files['heartbeat.file']).toContain('Mail 1622708885');
    expect(files['heartbeat.file']).not.toContain('Mail 1622708865');
    expect(files['heartbeat.file'].filter((l) => l.startsWith('Mail '))).toHaveLength(1);
  });

  it('does not guess when no line or two lines share the key', () => {
    const files = initialFiles(PAPER_RING, 0);
    expect(applyEdit(files, { file: 'heartbeat.file', op: 'Mod', oldLine: 'Client 1', newLine: 'Client 2' })).toBe('missing');
    files['heartbeat.file'].push('Mail 7');
    const before = cloneFiles(files);
    expect(applyEdit(files, { file: 'heartbeat.file', op: 'Mod', oldLine: 'Mail 3', newLine: 'Mail 9' })).toBe('missing');
    expect(filesEqual(files, before)).toBe(true);
  });

  it('does not let a key match a longer key that starts the same', () => {
    const files = initialFiles([{ no: 1, server: 'Web10', dataFile: 'Web10.dat' }], 0);
    expect(applyEdit(files, { file: 'heartbeat.file', op: 'Mod', oldLine: 'Web1 0', newLine: 'Web1 5' })).toBe('missing');
    expect(files['heartbeat.file']).toEqual(['Web10 0']);
  });

  it('moves a group line whose No. a Mod changes to its new ring place', () => {
    const files = initialFiles(PAPER_RING, 0);
    expect(applyEdit(files, { file: 'group.file', op: 'Mod', oldLine: FTP_LINE, newLine: '7 FTP FTP.dat' })).toBe('applied');
    expect(files['group.file'].at(-1)).toBe('7 FTP FTP.dat');
    expect(files['group.file']).not.toContain(FTP_LINE);
  });

  it('refuses edits to the derived operation file', () => {
    const files = initialFiles(PAPER_RING, 0);
    const before = cloneFiles(files);
    expect(() => applyEdit(files, { file: 'operation.file', op: 'Add', line: 'Mail Web1 Web1.dat' })).toThrow(/derived/);
    expect(filesEqual(files, before)).toBe(true);
  });

  it('clones deeply enough that edits to the clone leave the original alone', () => {
    const files = initialFiles(PAPER_RING, 0);
    const copy = cloneFiles(files);
    applyAll(copy, FTP_FAILURE);
    expect(filesEqual(files, copy)).toBe(false);
    expect(filesEqual(files, initialFiles(PAPER_RING, 0))).toBe(true);
  });
});

// Edits over a small alphabet, so that duplicates, misses and key collisions happen often.
const serverArb = fc.constantFrom(...PAPER_RING);
const timeArb = fc.integer({ min: 0, max: 5 });
const editArb: fc.Arbitrary<SemEdit> = fc.oneof(
  fc.record({
    file: fc.constantFrom('group.file' as const, 'separation.file' as const),
    op: fc.constantFrom('Add' as const, 'Del' as const),
    line: serverArb.map((e) => groupLine(e.no, e.server, e.dataFile)),
  }),
  fc.record({
    file: fc.constant('group.file' as const),
    op: fc.constant('Mod' as const),
    oldLine: serverArb.map((e) => groupLine(e.no, e.server, e.dataFile)),
    newLine: fc.tuple(fc.integer({ min: 1, max: 8 }), serverArb).map(([no, e]) => groupLine(no, e.server, e.dataFile)),
  }),
  fc.record({
    file: fc.constant('heartbeat.file' as const),
    op: fc.constantFrom('Add' as const, 'Del' as const),
    line: fc.tuple(serverArb, timeArb).map(([e, t]) => heartbeatLine(e.server, t)),
  }),
  fc.tuple(serverArb, timeArb, timeArb).map(([e, t1, t2]): SemEdit => ({
    file: 'heartbeat.file',
    op: 'Mod',
    oldLine: heartbeatLine(e.server, t1),
    newLine: heartbeatLine(e.server, t2),
  })),
  fc.record({
    file: fc.constant('problem.file' as const),
    op: fc.constantFrom('Add' as const, 'Del' as const),
    line: fc.tuple(serverArb, serverArb).map(([t, h]) => problemLine(`${t.server}b`, t.server, h.server)),
  }),
);

describe('SEM properties', () => {
  it('gives equal files on two replicas that apply the same edits', () => {
    fc.assert(
      fc.property(fc.array(editArb, { maxLength: 60 }), (edits) => {
        const a = initialFiles(PAPER_RING, 0);
        const b = initialFiles(PAPER_RING, 0);
        const outcomesA = applyAll(a, edits);
        const outcomesB = applyAll(b, edits.map((e) => parseDiff(formatDiff(e), 'Diff.dat', 1)));
        expect(outcomesB).toEqual(outcomesA);
        expect(filesEqual(a, b)).toBe(true);
      }),
    );
  });

  it('never leaves a repeated line or a ring file out of No. order', () => {
    fc.assert(
      fc.property(fc.array(editArb, { maxLength: 60 }), (edits) => {
        const files = initialFiles(PAPER_RING, 0);
        applyAll(files, edits);
        for (const lines of Object.values(files)) expect(new Set(lines).size).toBe(lines.length);
        for (const name of ['group.file', 'separation.file'] as const) {
          const nos = files[name].map(ringNoOf);
          expect(nos).toEqual([...nos].sort((x, y) => x - y));
        }
      }),
    );
  });

  it('lets a replica that missed heartbeats converge once it gets the last one of each server', () => {
    // Each step is one server's heartbeat Mod (previous time -> step time) and whether B loses it.
    const stepsArb = fc.array(fc.record({ serverIndex: fc.integer({ min: 0, max: 5 }), lostOnB: fc.boolean() }), { minLength: 1, maxLength: 30 });
    fc.assert(
      fc.property(stepsArb, (steps) => {
        const a = initialFiles(PAPER_RING, T0_UNIX_S);
        const b = initialFiles(PAPER_RING, T0_UNIX_S);
        const servers = steps.map((st) => (PAPER_RING[st.serverIndex] as RingEntry).server);
        const lastUnixS = new Map(PAPER_RING.map((e) => [e.server, T0_UNIX_S]));
        steps.forEach((step, i) => {
          const server = servers[i] as string;
          const newUnixS = T0_UNIX_S + 10 * (i + 1);
          const edit: SemEdit = {
            file: 'heartbeat.file',
            op: 'Mod',
            oldLine: heartbeatLine(server, lastUnixS.get(server) as number),
            newLine: heartbeatLine(server, newUnixS),
          };
          lastUnixS.set(server, newUnixS);
          expect(applyEdit(a, edit)).toBe('applied');
          const isLastOfServer = servers.lastIndexOf(server) === i;
          if (!step.lostOnB || isLastOfServer) expect(applyEdit(b, edit)).not.toBe('missing');
        });
        expect(filesEqual(a, b)).toBe(true);
      }),
    );
  });
});
