import { describe, expect, it } from 'vitest';
import { semKey } from '../../src/config/agent-dir.ts';

describe('semKey', () => {
  it('takes a text key without the white space around it, as written', () => {
    expect(semKey(Buffer.from('  0123456789abcdef0123456789abcdef\n')).toString('utf8')).toBe('0123456789abcdef0123456789abcdef');
  });

  it('keeps a binary key byte for byte, so two binary keys never decode to the same characters', () => {
    const ff = Buffer.alloc(64, 0xff);
    const fe = Buffer.alloc(64, 0xfe);
    expect(semKey(ff)).toEqual(ff);
    expect(semKey(fe)).toEqual(fe);
    expect(semKey(ff).equals(semKey(fe))).toBe(false);
  });

  it('keeps a key of valid UTF-8 with control bytes as bytes, trailing newline included', () => {
    const bytes = Buffer.from([0x01, 0x41, 0x0a, 0x42, 0x0a]);
    expect(semKey(bytes)).toEqual(bytes);
  });
});
