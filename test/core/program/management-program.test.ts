// The management program routes every command result to whoever waits for it and asserts the
// rest (src/core/program/management-program.ts): a result for a command that is not under way, or
// a timer of a stopped program, is a bug of the world or of the program, never silently dropped.
import { describe, expect, it } from 'vitest';
import { ProtocolAssertionError } from '../../../src/core/program/assert.ts';
import { FAIL, OK, RingHarness } from '../ring/harness.ts';
import { emptyCommands } from '../../../src/core/program/ports.ts';

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

describe('a program hands its commands over in one array it refills (ports.ts NodeOutput)', () => {
  it('the commands of one event are not among those of the next, whether the caller emptied the array or not', () => {
    const h = new RingHarness('Mail');
    const node = h.node;
    // The first wake may be the internal check's, half an interval before the tick.
    let tickUs = h.wakeAtUs as number;
    let atTick = node.handle(tickUs, { type: 'wake' });
    if (!atTick.commands.some((c) => c.type === 'measureLoad')) {
      tickUs = atTick.wakeAtUs as number;
      atTick = node.handle(tickUs, { type: 'wake' });
    }
    const measure = atTick.commands.find((c) => c.type === 'measureLoad');
    expect(measure).toBeDefined();
    emptyCommands(atTick);
    expect(atTick.commands).toEqual([]);

    const sample = { freeMemKb: 4_000_000, cpuIdlePct: 390, netBytesPerS: 1_000 };
    const measured = node.handle(tickUs + 1_000, { type: 'commandDone', id: (measure as { id: number }).id, result: { kind: 'load', sample } });
    const probes = [...measured.commands];
    expect(probes.some((c) => c.type === 'probeNetwork')).toBe(true);
    expect(probes.some((c) => c.type === 'measureLoad')).toBe(false);

    // Not emptied this time: the program empties the array itself before it gives the next event's commands.
    const probe = probes.find((c) => c.type === 'probeNetwork') as { id: number };
    const examined = node.handle(tickUs + 2_000, { type: 'commandDone', id: probe.id, result: OK });
    expect(examined.commands.map((c) => c.type)).toEqual(['probeService']);
  });
});
