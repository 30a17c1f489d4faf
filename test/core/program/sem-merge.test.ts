// Whole files a peer sends (a resync snapshot) are joined with the replica's own, not taken as
// they are: each line as the later of the two sides' last edits says, each heartbeat the later stamp.
import { describe, expect, it } from 'vitest';
import { heartbeatLine, initialFiles } from '../../../src/core/model/management-files.ts';
import { applyEdit, cloneFiles } from '../../../src/core/model/sem.ts';
import { mergeSnapshot } from '../../../src/core/program/sem-merge.ts';
import type { LineTime } from '../../../src/core/program/sem-ledger.ts';
import { PAPER_RING } from '../ring/harness.ts';

const PROXY = '5 Proxy Proxy.dat';
const time = (file: LineTime['file'], line: string, lt: number, sender: string): LineTime => ({ file, line, lt, sender });

describe('mergeSnapshot', () => {
  it('keeps an edit only this replica holds (its line time is later) and takes one only the peer holds', () => {
    // Mine: Proxy handed back at lt 9 (in the group file again). Theirs: still separated (lt 4), and Web1b added at lt 7.
    const mine = initialFiles(PAPER_RING, 100);
    const theirs = cloneFiles(mine);
    applyEdit(theirs, { file: 'group.file', op: 'Del', line: PROXY });
    applyEdit(theirs, { file: 'separation.file', op: 'Add', line: PROXY });
    applyEdit(theirs, { file: 'problem.file', op: 'Add', line: 'Web1b Web1 Login' });
    const mineTimes = [time('group.file', PROXY, 9, 'Web2'), time('separation.file', PROXY, 9, 'Web2')];
    const theirsTimes = [time('group.file', PROXY, 4, 'Web2'), time('separation.file', PROXY, 4, 'Web2'), time('problem.file', 'Web1b Web1 Login', 7, 'FTP')];

    const merged = mergeSnapshot(mine, mineTimes, theirs, theirsTimes);

    expect(merged['group.file']).toContain(PROXY);
    expect(merged['separation.file']).toEqual([]);
    expect(merged['problem.file']).toEqual(['Web1b Web1 Login']);
    expect(merged['group.file']).toEqual(mine['group.file']);
  });

  it('takes the later heartbeat stamp of each server, and the peer’s files whole when the replica has none', () => {
    const mine = initialFiles(PAPER_RING, 100);
    const theirs = cloneFiles(mine);
    applyEdit(mine, { file: 'heartbeat.file', op: 'Mod', oldLine: heartbeatLine('Mail', 100), newLine: heartbeatLine('Mail', 130) });
    applyEdit(theirs, { file: 'heartbeat.file', op: 'Mod', oldLine: heartbeatLine('FTP', 100), newLine: heartbeatLine('FTP', 120) });

    const merged = mergeSnapshot(mine, [], theirs, []);

    expect(merged['heartbeat.file']).toContain(heartbeatLine('Mail', 130));
    expect(merged['heartbeat.file']).toContain(heartbeatLine('FTP', 120));
    expect(mergeSnapshot(null, [], theirs, [])).toEqual(theirs);
  });
});
