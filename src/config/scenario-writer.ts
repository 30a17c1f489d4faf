// A finding of the explorer written as an ordinary scenario file: `dbss sim <file>` replays the
// very run that broke the invariant (run 1 of the same seed), and the scenario tests keep it as
// a regression with its expected outcome.
import { usToSeconds } from '../core/model/time.ts';
import type { Fault } from '../sim/world/faults.ts';
import type { RingMechanism } from '../core/ring/mechanisms.ts';
import type { Hardening } from '../core/program/hardening.ts';

export interface FindingFile {
  name: string;
  method: 'ring' | 'p2p';
  seed: number;
  durationUs: number;
  faults: readonly Fault[];
  invariants: readonly string[];
  disabled: readonly RingMechanism[];
  hardening: readonly Hardening[];
  comment: readonly string[];
  description: string;
}

function faultYaml(f: Fault): string {
  const parts = [`server: ${f.server}`, `type: ${f.type}`, `at: ${usToSeconds(f.atUs)}`];
  if (f.durationUs !== undefined) parts.push(`duration: ${usToSeconds(f.durationUs)}`);
  if (f.delayUs !== undefined) parts.push(`delay: ${usToSeconds(f.delayUs)}`);
  if (f.offsetUs !== undefined) parts.push(`offset: ${usToSeconds(f.offsetUs)}`);
  return `  - { ${parts.join(', ')} }`;
}

/** findingYaml renders the scenario; every value is plain, so the text is stable for a given finding. */
export function findingYaml(f: FindingFile): string {
  const lines = [
    ...f.comment.map((c) => `# ${c}`),
    `name: ${f.name}`,
    `description: ${JSON.stringify(f.description)}`,
    `method: ${f.method}`,
    `seed: ${f.seed}`,
    'runs: 1',
    `duration: ${usToSeconds(f.durationUs)}`,
    ...(f.disabled.length > 0 ? [`disable: [${f.disabled.join(', ')}]`] : []),
    ...(f.hardening.length > 0 ? [`hardening: [${f.hardening.join(', ')}]`] : []),
    'faults:',
    ...f.faults.map(faultYaml),
    'expect:',
    `  violations: [${[...f.invariants].sort().join(', ')}]`,
  ];
  return lines.join('\n') + '\n';
}
