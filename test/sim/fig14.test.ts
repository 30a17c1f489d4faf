// The system log of a simulated Nt failure of FTP is compared with the paper's Fig. 14: the same
// events in the same order, each up to the function recovery within 0.5 s of the paper's time
// after the fault and the later ones within 3 s (Table 1's start time and Fig. 14's boot differ;
// see SimParams.bootToServiceUs).
import { describe, expect, it } from 'vitest';
import { secondsToUs } from '../../src/core/model/time.ts';
import { runSeed } from '../../src/sim/run/experiment.ts';
import { FIG14_EVENTS } from '../../src/paper/fig14.ts';
import { logTarget } from '../../src/core/program/log-events.ts';
import type { LogEventName } from '../../src/core/program/log-events.ts';
import { runOnce } from '../../src/sim/run/run.ts';
import { paperSpec } from '../../src/paper/experiments.ts';

const FAULT_AT_S = 5;

function simulatedEvents(run: number): Map<LogEventName, number> {
  const out = runOnce(paperSpec('ring', [{ server: 'FTP', type: 'Nt', atUs: secondsToUs(FAULT_AT_S) }]), runSeed(1, run));
  const faultUs = out.firstTickUs + secondsToUs(FAULT_AT_S);
  const first = new Map<LogEventName, number>();
  for (const line of out.log) {
    const event = line.entry.event;
    if (line.atUs < faultUs || logTarget(line.entry) !== 'FTP' || first.has(event)) continue;
    first.set(event, (line.atUs - faultUs) / 1e6);
  }
  return first;
}

describe('the simulated system log of an Nt failure of FTP against Fig. 14', () => {
  for (let run = 1; run <= 10; run++) {
    it(`run ${run} writes every Fig. 14 event in the paper's order and near the paper's time`, () => {
      const events = simulatedEvents(run);
      let previousS = -Infinity;
      for (const paper of FIG14_EVENTS) {
        const atS = events.get(paper.event);
        expect(atS, `${paper.event} (${paper.what}) is logged`).toBeDefined();
        const toleranceS = paper.upToFunctionRecovery ? 0.5 : 3;
        expect(Math.abs((atS as number) - paper.afterFaultS), `${paper.event}: ours ${atS} s, paper ${paper.afterFaultS} s after the fault`).toBeLessThanOrEqual(toleranceS);
        expect(atS as number, `${paper.event} comes after the events before it`).toBeGreaterThanOrEqual(previousS);
        previousS = atS as number;
      }
    });
  }
});
