import { describe, expect, it } from 'vitest';
import { groupLine, initialFiles } from '../../../src/core/model/management-files.ts';
import type { ManagementFiles } from '../../../src/core/model/management-files.ts';
import { deriveOperation, formatOperationLine, operationTargetOf, ringSuccessors } from '../../../src/core/model/operation.ts';
import { applyEdit } from '../../../src/core/model/sem.ts';
import { PAPER_RING } from '../paper-ring.ts';


/** separate moves a server from the group file to the separation file, as A4 of Fig. 12 does. */
function separate(files: ManagementFiles, no: number, server: string): void {
  const line = groupLine(no, server, `${server}.dat`);
  expect(applyEdit(files, { file: 'group.file', op: 'Del', line })).toBe('applied');
  expect(applyEdit(files, { file: 'separation.file', op: 'Add', line })).toBe('applied');
}

describe('operation file (Sec. 2.4)', () => {
  it('makes each running server manage the next one round the ring', () => {
    const files = initialFiles(PAPER_RING, 0);
    expect(deriveOperation(files).map(formatOperationLine)).toEqual([
      'Mail FTP FTP.dat',
      'FTP Web1 Web1.dat',
      'Web1 Web2 Web2.dat',
      'Web2 Proxy Proxy.dat',
      'Proxy Login Login.dat',
      'Login Mail Mail.dat',
    ]);
  });

  it('makes Mail manage Web1 when FTP is separated, and nobody manage FTP', () => {
    const files = initialFiles(PAPER_RING, 0);
    separate(files, 2, 'FTP');
    const operation = deriveOperation(files);
    expect(operationTargetOf(files, 'Mail')).toBe('Web1');
    expect(operationTargetOf(files, 'FTP')).toBeNull();
    expect(operation.some((e) => e.target === 'FTP' || e.manager === 'FTP')).toBe(false);
    expect(operation).toHaveLength(5);
    expect(operation[0]).toEqual({ manager: 'Mail', target: 'Web1', dataFile: 'Web1.dat' });
  });

  it('gives FTP back to Mail when FTP returns to the group file', () => {
    const files = initialFiles(PAPER_RING, 0);
    separate(files, 2, 'FTP');
    const line = groupLine(2, 'FTP', 'FTP.dat');
    applyEdit(files, { file: 'separation.file', op: 'Del', line });
    applyEdit(files, { file: 'group.file', op: 'Add', line });
    expect(operationTargetOf(files, 'Mail')).toBe('FTP');
    expect(operationTargetOf(files, 'FTP')).toBe('Web1');
  });

  it('lets Login manage Mail and Web2 manage Login across the wrap when Proxy is out', () => {
    const files = initialFiles(PAPER_RING, 0);
    separate(files, 5, 'Proxy');
    expect(operationTargetOf(files, 'Web2')).toBe('Login');
    expect(operationTargetOf(files, 'Login')).toBe('Mail');
  });

  it('lets two running servers manage each other', () => {
    const files = initialFiles(PAPER_RING.slice(0, 2), 0);
    expect(deriveOperation(files).map(formatOperationLine)).toEqual(['Mail FTP FTP.dat', 'FTP Mail Mail.dat']);
  });

  it('lets a lone running server manage nobody, itself included', () => {
    const files = initialFiles(PAPER_RING.slice(0, 1), 0);
    expect(deriveOperation(files)).toEqual([]);
    expect(operationTargetOf(files, 'Mail')).toBeNull();
    expect(deriveOperation(initialFiles([], 0))).toEqual([]);
  });

  it('gives no target to a server outside the group file', () => {
    expect(operationTargetOf(initialFiles(PAPER_RING, 0), 'Client')).toBeNull();
  });
});

describe('ring successors (Sec. 4.1 dual monitoring)', () => {
  it('lists the whole ring after a server, wrapping round, without the server', () => {
    const files = initialFiles(PAPER_RING, 0);
    expect(ringSuccessors(files, 'Web2')).toEqual(['Proxy', 'Login', 'Mail', 'FTP', 'Web1']);
  });

  it('keeps separated servers in their ring place', () => {
    const files = initialFiles(PAPER_RING, 0);
    separate(files, 2, 'FTP');
    separate(files, 3, 'Web1');
    expect(ringSuccessors(files, 'Mail')).toEqual(['FTP', 'Web1', 'Web2', 'Proxy', 'Login']);
    expect(ringSuccessors(files, 'FTP')).toEqual(['Web1', 'Web2', 'Proxy', 'Login', 'Mail']);
  });

  it('is empty for a server that is not in the ring, and for a ring of one', () => {
    expect(ringSuccessors(initialFiles(PAPER_RING, 0), 'Client')).toEqual([]);
    expect(ringSuccessors(initialFiles(PAPER_RING.slice(0, 1), 0), 'Mail')).toEqual([]);
  });
});
