// The baseline of dbss explore --baseline read strictly: a file that is not a FINDINGS.md or a
// JSON list of findings, or that names what no search can find, is bad input rather than
// "no findings known" (which would fail the search with every finding new).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseBaseline } from '../../../src/report/findings/baseline.ts';
import { InputError } from '../../../src/core/model/input-error.ts';

const report = readFileSync('reports/FINDINGS.md', 'utf8');

function refusal(text: string): string {
  try {
    parseBaseline(text, 'b.md');
  } catch (e) {
    if (e instanceof InputError) return e.message;
    throw e;
  }
  throw new Error('parsed without a refusal');
}

describe('parseBaseline', () => {
  it('reads FINDINGS.md with CRLF line ends as it reads it with LF', () => {
    expect(parseBaseline(report.replaceAll('\n', '\r\n'), 'b.md')).toEqual(parseBaseline(report, 'b.md'));
  });

  it('refuses an empty file, text, a scenario and JSON null, which hold no method section', () => {
    for (const text of ['', 'hello world\n', 'name: x\nfaults: []\n', 'null\n']) expect(refusal(text)).toMatch(/^b\.md: baseline: expected reports\/FINDINGS\.md/);
  });

  it('refuses an invariant no checker has, with its line', () => {
    expect(refusal('## Ring method\n\n### managed-twice\n- Minimal schedule (1 fault): St Mail at 5 s\n')).toBe(
      'b.md:3: finding: expected an invariant, one of vip-unique, single-virtual-server, no-stale-virtual-server, sem-agreement, function-served, managed-once, vip-back, recovery-job-ended, protocol-assertion, got "managed-twice"',
    );
  });

  it('refuses a schedule that does not hold as many faults as it says', () => {
    expect(refusal('## Ring method\n\n### managed-once\n- Minimal schedule (7 faults): St Mail at 5 s\n')).toBe('b.md:4: finding: expected a schedule of as many faults as it says (7), got "1 faults"');
  });

  it('reads findings under the methods\' sections only', () => {
    const known = parseBaseline('## Ring method\n\n### managed-once\n- Minimal schedule (1 fault): St Mail at 5 s\n\n## What each extension closes\n\n### anything\n', 'b.md');
    expect(known).toEqual([{ method: 'ring', invariant: 'managed-once', faults: [{ server: 'Mail', type: 'St', atUs: 5_000_000 }] }]);
  });

  it('refuses JSON findings of an unknown method or invariant, and a list nested too deep to print', () => {
    const finding = (method: string, invariant: string): string => JSON.stringify([{ method, invariant, faults: [{ server: 'Mail', type: 'St', atUs: 0 }] }]);
    expect(refusal(finding('raft', 'managed-once'))).toBe('b.md[0]: method: expected one of ring, p2p, ring-hardened, got "raft"');
    expect(refusal(finding('toString', 'managed-once'))).toBe('b.md[0]: method: expected one of ring, p2p, ring-hardened, got "toString"');
    expect(refusal(finding('ring', 'nope'))).toMatch(/^b\.md\[0\]: invariant: expected one of vip-unique, .*, got "nope"$/);
    expect(refusal(`[${'['.repeat(100_000)}${']'.repeat(100_000)}]`)).toBe('b.md[0]: finding: expected { "method": string, "invariant": string, "faults": [...] }, got "a list nested too deep to print"');
  });
});
