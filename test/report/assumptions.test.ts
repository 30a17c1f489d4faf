// The report's "Model assumptions" cannot fall behind the model: every SimParams field needs a
// source in SIM_PARAM_SOURCES, and every parameter that is not printed in the paper is listed.
// The paper values are docs/paper-reference.md's numbers.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { defaultParams, PARAM_SOURCES } from '../../src/paper/params.ts';
import { defaultSimParams } from '../../src/paper/testbed.ts';
import { formatParam, modelAssumptions } from '../../src/report/assumptions.ts';
import { SIM_PARAM_SOURCES } from '../../src/paper/testbed.ts';
import { TABLE2_LOWER, TABLE2_UPPER } from '../../src/paper/table2.ts';

const REFERENCE = 'docs/paper-reference.md';

describe('the model assumptions of the repro report', () => {
  it('gives a source for every SimParams field and for no other name', () => {
    expect(Object.keys(SIM_PARAM_SOURCES).sort()).toEqual(Object.keys(defaultSimParams()).sort());
  });

  it('gives a source for every Params field', () => {
    expect(Object.keys(PARAM_SOURCES).sort()).toEqual(Object.keys(defaultParams()).sort());
  });

  it('lists every parameter whose source is an assumption, a figure reading or a derivation, and none from the paper', () => {
    const listed = new Set(modelAssumptions().map((a) => a.name));
    for (const [name, source] of Object.entries(SIM_PARAM_SOURCES)) expect(listed.has(name), name).toBe(source.kind !== 'paper');
    expect(listed.has('startWaitMaxUs')).toBe(true);
    expect(listed.has('monitorIntervalUs')).toBe(false);
  });

  it('prints values in the unit the name carries', () => {
    expect(formatParam('bootToServiceUs', 28_340_000)).toBe('28.34 s');
    expect(formatParam('vsMemKb', 2048 * 1024)).toBe('2048 MB');
    expect(formatParam('variationFraction', 0.05)).toBe('0.05 (5 %)');
  });
});

describe('the paper values', () => {
  it("are docs/paper-reference.md's Table 2 numbers", () => {
    const text = readFileSync(REFERENCE, 'utf8');
    const upper = [TABLE2_UPPER.St, TABLE2_UPPER.Nt].map((m) =>
      [m.function_recovery, m.target_recovery, m.client_disconnection].flatMap((v) => [v?.ring, v?.p2p]).map((x) => x?.toFixed(2)).join(' | '),
    );
    expect(text).toContain(`| St | ${upper[0]} |`);
    expect(text).toContain(`| Nt | ${upper[1]} |`);
    for (const row of TABLE2_LOWER) {
      const cell = (v: { ring: number; p2p: number }): string => `${v.ring.toFixed(2)} (${v.p2p.toFixed(2)})`;
      expect(text).toContain(`| ${row.ftp} | ${row.web1} | ${cell(row.FTP)} | ${cell(row.Web1)} |`);
    }
  });
});
