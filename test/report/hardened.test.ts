// The hardened column of dbss repro (src/report/hardened.ts): every paper cell for the ring, each
// extension alone, the hardened ring and P2P, and the cost of hardening computed from the means.
import { describe, expect, it } from 'vitest';
import { HARDENINGS } from '../../src/core/program/hardening.ts';
import type { Cell, ResultRow } from '../../src/report/cells.ts';
import { cost, HARDENED_VARIANTS, hardenedCells, hardenedCsv, hardenedMarkdown } from '../../src/report/hardened.ts';

function row(method: 'ring' | 'p2p', mean: number | null): ResultRow {
  return {
    experiment: 'table2-upper-nt',
    group: 'table2-upper',
    method,
    server: 'FTP',
    fault: 'Nt',
    metric: 'function_recovery',
    summary: mean === null ? null : { mean, min: mean, max: mean, n: 10, ci95: 0, ciLow: mean, ciHigh: mean },
    paper: null,
    errorPct: null,
  };
}

const cell: Cell = { experiment: 'table2-upper-nt', group: 'table2-upper', server: 'FTP', fault: 'Nt', metric: 'function_recovery', ring: row('ring', 4), p2p: row('p2p', 4.2) };

describe('the hardened column', () => {
  it('runs each extension alone and all of them, in that order', () => {
    expect(HARDENED_VARIANTS.map((v) => v.name)).toEqual([...HARDENINGS, 'hardened']);
    expect(HARDENED_VARIANTS.at(-1)?.hardening).toEqual(HARDENINGS);
  });

  it('costs a cell as the hardened ring’s mean minus the paper ring’s, in seconds and percent', () => {
    const [c] = hardenedCells([cell], [...HARDENINGS.map(() => [row('ring', 4)]), [row('ring', 5)]]);
    if (c === undefined) throw new Error('no cell');

    expect(cost(c)).toEqual({ s: 1, pct: 25 });
    expect(hardenedCsv([c]).split('\n')[1]).toBe('table2-upper-nt,FTP,Nt,function_recovery,4.000,4.000,4.000,4.000,4.000,5.000,4.200,1.000,25.0');
    expect(hardenedMarkdown([c], 1, 10)).toContain('| table2-upper-nt | FTP | function recovery | 4.00 | 4.00 | 4.00 | 4.00 | 4.00 | 5.00 | 4.20 | +1.00 (+25.0 %) |');
  });

  it('has no cost for a cell whose time never came with hardening', () => {
    const [c] = hardenedCells([cell], [...HARDENINGS.map(() => [row('ring', 4)]), [row('ring', null)]]);
    if (c === undefined) throw new Error('no cell');

    expect(cost(c)).toBeNull();
    expect(hardenedMarkdown([c], 1, 10)).toContain('| never | 4.20 |  |');
  });
});
