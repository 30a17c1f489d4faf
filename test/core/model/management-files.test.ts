import { describe, expect, it } from 'vitest';
import {
  formatManagementFile,
  groupEntries,
  groupLine,
  heartbeatLine,
  heartbeatUnixS,
  initialFiles,
  parseManagementFile,
  problemEntries,
  problemLine,
  separationEntries,
} from '../../../src/core/model/management-files.ts';
import type { ManagementFileName, ManagementFiles } from '../../../src/core/model/management-files.ts';
import { InputError } from '../../../src/core/model/input-error.ts';
import { PAPER_RING } from '../paper-ring.ts';

const FIG4_UNIX_S = 1622708875;

function parseError(name: ManagementFileName, text: string): InputError {
  try {
    parseManagementFile(name, text, `/mem/${name}`);
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return e as InputError;
  }
  throw new Error(`parseManagementFile accepted bad ${name}`);
}

describe('management files (Sec. 2.4, Fig. 4)', () => {
  it('starts with every server running, nothing separated and a heartbeat per server', () => {
    const files = initialFiles([...PAPER_RING].reverse(), FIG4_UNIX_S);
    expect(files['group.file']).toEqual([
      '1 Mail Mail.dat',
      '2 FTP FTP.dat',
      '3 Web1 Web1.dat',
      '4 Web2 Web2.dat',
      '5 Proxy Proxy.dat',
      '6 Login Login.dat',
    ]);
    expect(files['separation.file']).toEqual([]);
    expect(files['problem.file']).toEqual([]);
    expect(files['heartbeat.file']).toHaveLength(6);
    expect(files['heartbeat.file'][0]).toBe('Mail 1622708875');
    expect(files).not.toHaveProperty('operation.file');
  });

  it('refuses a ring that repeats a server or a No.', () => {
    expect(() => initialFiles([...PAPER_RING, { no: 7, server: 'Mail', dataFile: 'Mail2.dat' }], 0)).toThrow(/repeats/);
    expect(() => initialFiles([...PAPER_RING, { no: 1, server: 'Extra', dataFile: 'Extra.dat' }], 0)).toThrow(/repeats/);
  });

  it('reads the state of Fig. 4 and gives typed views of it', () => {
    const files: ManagementFiles = {
      'group.file': parseManagementFile('group.file', '1 Mail Mail.dat\n2 FTP FTP.dat\n3 Web1 Web1.dat\n4 Web2 Web2.dat\n5 Proxy Proxy.dat\n', 'group.file'),
      'separation.file': parseManagementFile('separation.file', '6 Login Login.dat\n', 'separation.file'),
      'heartbeat.file': parseManagementFile('heartbeat.file', 'Mail 1622708875\nFTP 1622708875\nWeb1 1622708875\nWeb2 1622708875\n', 'heartbeat.file'),
      'problem.file': parseManagementFile('problem.file', 'Loginb Login FTP\n', 'problem.file'),
    };
    expect(groupEntries(files).map((e) => e.server)).toEqual(['Mail', 'FTP', 'Web1', 'Web2', 'Proxy']);
    expect(separationEntries(files)).toEqual([{ no: 6, server: 'Login', dataFile: 'Login.dat' }]);
    expect(heartbeatUnixS(files, 'Web2')).toBe(FIG4_UNIX_S);
    expect(heartbeatUnixS(files, 'Login')).toBeNull();
    // Sec. 2.4: "the proxy server controls the FTP server to recover its function by creating a virtual server loginb".
    expect(problemEntries(files)).toEqual([{ virtualServer: 'Loginb', trouble: 'Login', host: 'FTP' }]);
  });

  it('gives group entries in ring order even when lines were built out of order', () => {
    const files = initialFiles(PAPER_RING, 0);
    files['group.file'].reverse();
    expect(groupEntries(files).map((e) => e.no)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('parses a file again only once its lines change, and hands out frozen entries meanwhile', () => {
    const files = initialFiles(PAPER_RING, FIG4_UNIX_S);
    const first = groupEntries(files);
    expect(groupEntries(files)).toBe(first);
    expect(Object.isFrozen(first) && Object.isFrozen(first[0])).toBe(true);
    // An edit in place (as SEM applies them), of the same length: the next read sees it.
    files['group.file'][1] = groupLine(2, 'Backup', 'Backup.dat');
    expect(groupEntries(files).map((e) => e.server)).toEqual(['Mail', 'Backup', 'Web1', 'Web2', 'Proxy', 'Login']);
    files['problem.file'].push(problemLine('FTPb', 'FTP', 'Web2'));
    expect(problemEntries(files)).toEqual([{ virtualServer: 'FTPb', trouble: 'FTP', host: 'Web2' }]);
    files['problem.file'].length = 0;
    expect(problemEntries(files)).toEqual([]);
  });

  it('builds canonical lines and refuses values that would not parse back', () => {
    expect(groupLine(2, 'FTP', 'FTP.dat')).toBe('2 FTP FTP.dat');
    expect(heartbeatLine('Mail', 1622708875)).toBe('Mail 1622708875');
    expect(problemLine('FTPb', 'FTP', 'Web2')).toBe('FTPb FTP Web2');
    expect(() => groupLine(0, 'FTP', 'FTP.dat')).toThrow(Error);
    expect(() => groupLine(2, 'Web 1', 'Web1.dat')).toThrow(Error);
    expect(() => heartbeatLine('Mail', 1.5)).toThrow(/UNIX seconds/);
    expect(() => heartbeatLine('Mail', -1)).toThrow(/UNIX seconds/);
    expect(() => problemLine('FTPb', 'FTP', '../x')).toThrow(Error);
  });

  it('normalizes blanks and CRLF, skips blank lines, and writes canonical text back', () => {
    const lines = parseManagementFile('group.file', '1  Mail\tMail.dat\r\n\n2 FTP FTP.dat\r\n\r\n', 'g');
    expect(lines).toEqual(['1 Mail Mail.dat', '2 FTP FTP.dat']);
    expect(formatManagementFile(lines)).toBe('1 Mail Mail.dat\n2 FTP FTP.dat\n');
    expect(parseManagementFile('group.file', formatManagementFile(lines), 'g')).toEqual(lines);
  });

  it('reads and writes an empty file as no lines', () => {
    expect(parseManagementFile('separation.file', '', 's')).toEqual([]);
    expect(parseManagementFile('problem.file', '\n\n', 'p')).toEqual([]);
    expect(formatManagementFile([])).toBe('');
  });

  it('reads an operation file as printed in Fig. 4', () => {
    expect(parseManagementFile('operation.file', 'Mail FTP FTP.dat\nFTP Web1 Web1.dat\n', 'o')).toEqual(['Mail FTP FTP.dat', 'FTP Web1 Web1.dat']);
  });

  it.each<[ManagementFileName, string, number, string]>([
    ['group.file', '1 Mail Mail.dat\n2 FTP\n', 2, 'group.file line'],
    ['group.file', '1 Mail Mail.dat extra\n', 1, 'group.file line'],
    ['group.file', 'one Mail Mail.dat\n', 1, 'No.'],
    ['group.file', '1.5 Mail Mail.dat\n', 1, 'No.'],
    ['group.file', '0 Mail Mail.dat\n', 1, 'No.'],
    ['group.file', '1 Mail Mail.dat\n\n3 Web1 ../etc/passwd\n', 3, 'management data file'],
    ['group.file', '2 FTP FTP.dat\n1 Mail Mail.dat\n', 2, 'No.'],
    ['separation.file', '6 Login Login.dat\n6 Mail Mail.dat\n', 2, 'No.'],
    ['heartbeat.file', 'Mail\n', 1, 'heartbeat.file line'],
    ['heartbeat.file', 'Mail 16227088.75\n', 1, 'UNIX time'],
    ['heartbeat.file', 'Mail -1\n', 1, 'UNIX time'],
    ['heartbeat.file', 'Mail 1\nMail 2\n', 2, 'management server'],
    ['problem.file', 'FTPb FTP\n', 1, 'problem.file line'],
    ['problem.file', 'FTPb FTP Web_2\n', 1, 'host server'],
  ])('refuses %s %j and names line %i and the field %s', (name, text, lineNo, field) => {
    const e = parseError(name, text);
    expect(e.file).toBe(`/mem/${name}`);
    expect(e.line).toBe(lineNo);
    expect(e.field).toBe(field);
    expect(e.message.startsWith(`/mem/${name}:${lineNo}: ${field}: expected `)).toBe(true);
  });
});
