import { describe, expect, it } from 'vitest';
import { InputError, listed } from '../../../src/core/model/input-error.ts';

describe('InputError', () => {
  it('says where, what was expected and what came, on one line', () => {
    expect(new InputError('a.yaml', 3, 'runs', 'a whole number', '-1').message).toBe('a.yaml:3: runs: expected a whole number, got "-1"');
  });

  it('quotes at most 200 characters of a bad value and counts the rest, so a line of megabytes stays a readable line', () => {
    const message = new InputError('big.yaml', 1, 'YAML', 'a mapping', `${'é'.repeat(200)}${'x'.repeat(199_800)}`).message;
    expect(message).toBe(`big.yaml:1: YAML: expected a mapping, got "${'é'.repeat(200)}" (and 199800 more characters)`);
  });
});

describe('listed', () => {
  it('names every item of a short list and the first ten of a long one, with how many in all', () => {
    expect(listed(['Mail', 'FTP'])).toBe('Mail, FTP');
    expect(listed(Array.from({ length: 10_000 }, (_, i) => `S${i + 1}`))).toBe('S1, S2, S3, S4, S5, S6, S7, S8, S9, S10, ... (10000 in all)');
  });
});
