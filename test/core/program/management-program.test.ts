// The management program routes every command result to whoever waits for it and asserts the
// rest (src/core/program/management-program.ts): a result for a command that is not under way, or
// a timer of a stopped program, is a bug of the world or of the program, never silently dropped.
import { describe, expect, it } from 'vitest';
import { ProtocolAssertionError } from '../../../src/core/program/assert.ts';
import { FAIL, OK, RingHarness } from '../ring/harness.ts';

describe('command results reach whoever waits for them, and nothing else is dropped silently', () => {
  it('a result for a command that was never issued fails with a ProtocolAssertionError', () => {
    const h = new RingHarness('Mail');

    expect(() => h.deliver({ type: 'commandDone', id: 9_999, result: OK })).toThrow(ProtocolAssertionError);
  });

  it('a result delivered twice fails with a ProtocolAssertionError naming the command', () => {
    const h = new RingHarness('Mail');
    h.tick();
    const probe = h.find('probeNetwork', { target: 'FTP' });
    h.answer(probe, OK);

    expect(() => h.deliver({ type: 'commandDone', id: probe.id, result: OK })).toThrow(`a result for command ${probe.id}, which is not under way`);
  });

  it('a result of the wrong kind for the examination fails instead of counting as a failed examination', () => {
    const h = new RingHarness('Mail');
    h.tick();
    const probe = h.find('probeNetwork', { target: 'FTP' });

    expect(() => h.answer(probe, { kind: 'loads', reports: [] })).toThrow(/DBSS FTP in examNetwork: expected a done result/);
  });

  it('results of commands sent before the flag file went are ignored: the program that waited for them stopped (Fig. 7(a))', () => {
    const h = new RingHarness('Mail');
    h.tick();
    const probe = h.find('probeNetwork', { target: 'FTP' });
    h.deliver({ type: 'flagFile', present: false });

    const out = h.answer(probe, FAIL);

    expect(out).toEqual([]);
    expect(h.node.executor).toBe('ready');
  });
});
