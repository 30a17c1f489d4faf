import { describe, expect, it } from 'vitest';
import { formatManagementData, parseManagementData } from '../../../src/core/model/management-data.ts';
import type { ManagementData } from '../../../src/core/model/management-data.ts';
import { InputError } from '../../../src/core/model/input-error.ts';
import { isDaemonName, isHostName, isIpv4, isMac } from '../../../src/core/model/validate.ts';

// Fig. 4: the management data of Mail and Web 1.
const MAIL_DAT = '172.21.14.201\nMail\n172.21.14.1\n00:00:00:00:00:01\npostfix dovecot\nNETWORK\n';
const WEB1_DAT = '172.21.14.203\nWeb1\n172.21.14.3\n00:00:00:00:00:03\nhttpd\nCPU_NET\n';

/** parseError runs parse and returns the InputError it must throw. */
function parseError(text: string, file = 'Mail.dat'): InputError {
  try {
    parseManagementData(text, file);
  } catch (e) {
    expect(e).toBeInstanceOf(InputError);
    return e as InputError;
  }
  throw new Error('parseManagementData accepted bad input');
}

/** replaceLine swaps one line (1-based) of Mail.dat for bad input tests. */
function mailWith(lineNo: number, value: string): string {
  const lines = MAIL_DAT.split('\n');
  lines[lineNo - 1] = value;
  return lines.join('\n');
}

describe('management data (Sec. 2.4, Fig. 4)', () => {
  it('reads Mail.dat of Fig. 4 item by item', () => {
    const d = parseManagementData(MAIL_DAT, 'Mail.dat');
    expect(d).toEqual<ManagementData>({
      vip: '172.21.14.201',
      hostName: 'Mail',
      ipr: '172.21.14.1',
      mac: '00:00:00:00:00:01',
      daemons: ['postfix', 'dovecot'],
      serverType: 'NETWORK',
    });
  });

  it('reads Web1.dat of Fig. 4 with the canonical CPU_NET type', () => {
    const d = parseManagementData(WEB1_DAT, 'Web1.dat');
    expect(d.vip).toBe('172.21.14.203');
    expect(d.hostName).toBe('Web1');
    expect(d.ipr).toBe('172.21.14.3');
    expect(d.mac).toBe('00:00:00:00:00:03');
    expect(d.daemons).toEqual(['httpd']);
    expect(d.serverType).toBe('CPU_NET');
  });

  it('writes the files of Fig. 4 back byte for byte', () => {
    expect(formatManagementData(parseManagementData(MAIL_DAT, 'Mail.dat'))).toBe(MAIL_DAT);
    expect(formatManagementData(parseManagementData(WEB1_DAT, 'Web1.dat'))).toBe(WEB1_DAT);
  });

  it('tolerates CRLF line ends, blank trailing lines and spaces around values', () => {
    const crlf = MAIL_DAT.replace(/\n/g, '\r\n') + '\r\n\n  \n';
    expect(parseManagementData(crlf, 'Mail.dat')).toEqual(parseManagementData(MAIL_DAT, 'Mail.dat'));
    const spaced = mailWith(5, '  postfix   dovecot ');
    expect(parseManagementData(spaced, 'Mail.dat').daemons).toEqual(['postfix', 'dovecot']);
  });

  it('names the file, the line and the item when a line is missing', () => {
    const e = parseError('172.21.14.201\nMail\n172.21.14.1\n');
    expect(e.file).toBe('Mail.dat');
    expect(e.line).toBe(4);
    expect(e.field).toBe('MAC address (line 4)');
    expect(e.got).toBeUndefined();
    expect(e.message).toMatch(/^Mail\.dat:4: MAC address \(line 4\): expected .*file ends after line 3$/);
  });

  it('refuses an empty file at line 1', () => {
    const e = parseError('');
    expect(e.line).toBe(1);
    expect(e.field).toBe('virtual IP address (line 1)');
  });

  it('refuses an extra non-blank line after the six items', () => {
    const e = parseError(MAIL_DAT + 'extra\n');
    expect(e.line).toBe(7);
    expect(e.field).toBe('end of file (line 7)');
    expect(e.got).toBe('extra');
  });

  it.each([
    [1, '172.21.14.256', 'virtual IP address (line 1)'],
    [1, '172.21.014.201', 'virtual IP address (line 1)'],
    [1, '172.21.14', 'virtual IP address (line 1)'],
    [2, '-Mail', 'host name (line 2)'],
    [2, 'Web 1', 'host name (line 2)'],
    [2, 'a'.repeat(64), 'host name (line 2)'],
    [3, '172.21.14.x', 'real IP address (line 3)'],
    [4, '00:00:00:00:00', 'MAC address (line 4)'],
    [4, '00-00-00-00-00-01', 'MAC address (line 4)'],
    [5, '', 'service daemons (line 5)'],
    [5, 'postfix do;vecot', 'service daemons (line 5)'],
    [6, 'CPU NET', 'server type (line 6)'],
    [6, 'cpu', 'server type (line 6)'],
  ])('refuses line %i = %j and names the field %s', (lineNo, value, field) => {
    const e = parseError(mailWith(lineNo, value));
    expect(e.file).toBe('Mail.dat');
    expect(e.line).toBe(lineNo);
    expect(e.field).toBe(field);
    expect(e.message.startsWith(`Mail.dat:${lineNo}: ${field}: expected `)).toBe(true);
    expect(e.message).not.toContain('\n');
  });

  it('points a reader of the OCR from "CPU NET" to CPU_NET', () => {
    expect(parseError(mailWith(6, 'CPU NET')).message).toContain('write CPU_NET');
  });

  it('refuses to write management data that would not read back', () => {
    const d = parseManagementData(MAIL_DAT, 'Mail.dat');
    expect(() => formatManagementData({ ...d, daemons: [] })).toThrow(/invalid management data/);
    expect(() => formatManagementData({ ...d, daemons: ['postfix dovecot'] })).toThrow(/invalid/);
  });
});

describe('validators shared with the drivers', () => {
  it('accepts dotted quads without leading zeros and nothing else', () => {
    expect(['0.0.0.0', '255.255.255.255', '172.21.14.1', '198.18.0.10'].every(isIpv4)).toBe(true);
    expect(['256.0.0.1', '01.2.3.4', '1.2.3', '1.2.3.4.5', ' 1.2.3.4', '1.2.3.-4', '１.2.3.4'].some(isIpv4)).toBe(false);
  });

  it('accepts six colon-separated hex pairs as a MAC address', () => {
    expect(isMac('aa:BB:cc:dd:ee:ff')).toBe(true);
    expect(['aa:bb:cc:dd:ee', 'aa:bb:cc:dd:ee:fg', 'aabb.ccdd.eeff', 'aa:bb:cc:dd:ee:ff:00'].some(isMac)).toBe(false);
  });

  it('accepts RFC 1123 labels as host names', () => {
    expect(['Mail', 'Web1', 'FTPb', '1st', 'a', 'a-b', 'a'.repeat(63)].every(isHostName)).toBe(true);
    expect(['', '-a', 'a-', 'a.b', 'a_b', 'a'.repeat(64), 'Web 1'].some(isHostName)).toBe(false);
  });

  it('accepts daemon names without spaces, slashes or shell syntax', () => {
    expect(['postfix', 'sshd', 'getty@tty1', 'php-fpm', '_x', 'a.b'].every(isDaemonName)).toBe(true);
    expect(['', '-x', '.x', 'a b', 'a/b', 'a;b', '$(x)', 'a'.repeat(65)].some(isDaemonName)).toBe(false);
  });
});

describe('InputError', () => {
  it('omits the line number when the problem is not on one line', () => {
    const e = new InputError('scenario.yaml', null, 'seed', 'an integer');
    expect(e.message).toBe('scenario.yaml: seed: expected an integer');
    expect(e.name).toBe('InputError');
  });

  it('quotes what it got as JSON so that blanks and control characters show', () => {
    const e = new InputError('Mail.dat', 3, 'real IP address (line 3)', 'an IPv4 address', ' 1.2\t');
    expect(e.message).toBe('Mail.dat:3: real IP address (line 3): expected an IPv4 address, got " 1.2\\t"');
  });
});
