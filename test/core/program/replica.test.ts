import { describe, expect, it } from 'vitest';
import { Replica } from '../../../src/core/program/replica.ts';
import { heartbeatLine, heartbeatLineOf, initialFiles, groupLine, STORED_FILE_NAMES } from '../../../src/core/model/management-files.ts';
import { appliedCopy } from '../../../src/core/model/sem.ts';
import type { SemEdit } from '../../../src/core/model/sem.ts';

const ring = Array.from({ length: 40 }, (_, i) => ({ no: i + 1, server: `S${i + 1}`, dataFile: `S${i + 1}.dat` }));
const stamp = (server: string, fromS: number, toS: number): SemEdit => ({
  file: 'heartbeat.file',
  op: 'Mod',
  oldLine: heartbeatLine(server, fromS),
  newLine: heartbeatLine(server, toS),
});

describe('a replica that shares its files with other replicas', () => {
  it('reads the shared lines and never changes them: a received edit replaces the file by a copy', () => {
    const files = initialFiles(ring, 100);
    const a = Replica.received(files, STORED_FILE_NAMES);
    const b = Replica.received(files, STORED_FILE_NAMES);
    const del: SemEdit = { file: 'group.file', op: 'Del', line: groupLine(3, 'S3', 'S3.dat') };
    a.apply(del, false);
    expect(files['group.file']).toHaveLength(40);
    expect(a.view()['group.file']).toHaveLength(39);
    expect(b.view()['group.file']).toBe(files['group.file']);
    b.apply(del, false);
    // Two replicas that take the same record from the same shared file share the copy too.
    expect(b.view()['group.file']).toBe(a.view()['group.file']);
  });

  it('keeps its own stamp pending while the shared heartbeat file lacks it, and shows it once read', () => {
    const files = initialFiles(ring, 100);
    const a = Replica.received(files, STORED_FILE_NAMES);
    const edit = stamp('S1', 100, 110);
    a.apply(edit, true);
    expect(a.pendingCount).toBe(1);
    expect(a.hasPending([edit])).toBe(true);
    expect(a.lines('heartbeat.file')).toBe(files['heartbeat.file']);
    expect(heartbeatLineOf(a.view(), 'S1')).toBe('S1 110');
    // Reading forked the file: the stamp is in the replica's own copy, the shared file is untouched.
    expect(a.owns('heartbeat.file')).toBe(true);
    expect(a.pendingCount).toBe(0);
    expect(heartbeatLineOf(files, 'S1')).toBe('S1 100');
  });

  it('reads the shared file again once it took the pending stamp (caughtUp), and may share a copy equal to it', () => {
    const files = initialFiles(ring, 100);
    const a = Replica.received(files, STORED_FILE_NAMES);
    const edit = stamp('S2', 100, 120);
    a.apply(edit, true);
    files['heartbeat.file'][1] = 'S2 120'; // what SharedHeartbeat.take does for everyone at once
    a.caughtUp(1);
    expect(a.lines('heartbeat.file')).toBe(files['heartbeat.file']);
    expect(heartbeatLineOf(a.view(), 'S2')).toBe('S2 120');
    a.fork('heartbeat.file');
    a.share('heartbeat.file', files['heartbeat.file']);
    expect(a.owns('heartbeat.file')).toBe(false);
  });

  it('hands its shared files over by their lines and the others, with its pending stamps, as copies', () => {
    const files = initialFiles(ring, 100);
    const a = Replica.received(files, STORED_FILE_NAMES);
    a.apply(stamp('S3', 100, 150), true);
    a.fork('problem.file');
    const { files: handed, shared } = a.handOver();
    expect(shared).toEqual(['group.file', 'separation.file']);
    expect(handed['group.file']).toBe(files['group.file']);
    expect(handed['problem.file']).not.toBe(a.lines('problem.file'));
    expect(heartbeatLineOf(handed, 'S3')).toBe('S3 150');
    // The sender itself still reads the shared heartbeat file, its stamp pending.
    expect(a.pendingCount).toBe(1);
    const b = Replica.received(handed, shared);
    expect(b.owns('heartbeat.file')).toBe(true);
    expect(b.owns('group.file')).toBe(false);
  });

  it('gives a replica of its own a copy of every file, changed in place', () => {
    const files = initialFiles(ring, 100);
    const own = Replica.own(files);
    own.apply(stamp('S4', 100, 130), true);
    expect(own.pendingCount).toBe(0);
    expect(heartbeatLineOf(own.view(), 'S4')).toBe('S4 130');
    expect(heartbeatLineOf(files, 'S4')).toBe('S4 100');
  });
});

describe('appliedCopy', () => {
  it('returns the same lines when the edit changes nothing, and says why', () => {
    const lines = initialFiles(ring, 100)['heartbeat.file'];
    const missing = appliedCopy(lines, stamp('S5', 99, 130));
    expect(missing.outcome).toBe('resolvedByKey');
    const duplicate = appliedCopy(lines, { file: 'heartbeat.file', op: 'Add', line: 'S5 100' });
    expect(duplicate).toEqual({ lines, outcome: 'duplicate' });
  });
});

describe('heartbeat lines of a long file are found through an index', () => {
  it('finds each server after lines were added, removed and rewritten', () => {
    const files = Replica.own(initialFiles(ring, 100));
    files.apply({ file: 'heartbeat.file', op: 'Del', line: 'S1 100' }, false);
    files.apply({ file: 'heartbeat.file', op: 'Add', line: 'S41 100' }, false);
    files.apply(stamp('S40', 100, 140), false);
    const view = files.view();
    expect(heartbeatLineOf(view, 'S1')).toBeUndefined();
    expect(heartbeatLineOf(view, 'S41')).toBe('S41 100');
    expect(heartbeatLineOf(view, 'S40')).toBe('S40 140');
    expect(heartbeatLineOf(view, 'S4')).toBe('S4 100');
    for (const s of ['S2', 'S39']) expect(heartbeatLineOf(view, s)).toBe(`${s} 100`);
  });
});
