import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { remoteCommand, shellQuote } from '../../src/drivers/shell-quote.ts';

describe('quoting for the remote shell', () => {
  it('gives any argument back unchanged through a real POSIX shell', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }).filter((s) => !s.includes('\0')), (arg) => {
        const out = execFileSync('/bin/sh', ['-c', `printf '%s' ${shellQuote(arg)}`], { encoding: 'utf8' });
        expect(out).toBe(arg);
      }),
      { numRuns: 60 },
    );
  });

  it('quotes the shell syntax of a hostile argument into plain text', () => {
    expect(remoteCommand(['rm', '-f', "x'; reboot; echo '"])).toBe(`'rm' '-f' 'x'\\''; reboot; echo '\\'''`);
  });

  it('refuses a program that is an option or shell syntax, and arguments with line breaks or NUL', () => {
    expect(() => remoteCommand([])).toThrow(/needs a program/);
    expect(() => remoteCommand(['-rf'])).toThrow(/invalid remote program/);
    expect(() => remoteCommand(['ls; id'])).toThrow(/invalid remote program/);
    expect(() => remoteCommand(['echo', 'a\nid'])).toThrow(/control character/);
    expect(() => shellQuote('a\0b')).toThrow(/NUL/);
  });
});
