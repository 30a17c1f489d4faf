import type { Kernel } from './kernel.ts';

/**
 * runPeriodicWorkload is the bare-kernel benchmark: `entities` periodic entities, entity i
 * rescheduling itself every 1000 + 7 * i microseconds with its own closure, run until
 * totalEvents events have run. It measures the queue and slot machinery alone, with no
 * allocation per event; the caller does the timing, since src/sim never reads a clock.
 * It returns the number of events run. The entities' next events stay pending afterwards.
 */
export function runPeriodicWorkload(kernel: Kernel, entities: number, totalEvents: number): number {
  if (!Number.isSafeInteger(entities) || entities < 1) {
    throw new Error(`runPeriodicWorkload: entities must be a positive integer, got ${entities}`);
  }
  if (!Number.isSafeInteger(totalEvents) || totalEvents < 0) {
    throw new Error(`runPeriodicWorkload: totalEvents must be a non-negative integer, got ${totalEvents}`);
  }
  if (totalEvents === 0) return 0;
  const targetEventsRun = kernel.eventsRun + totalEvents;
  for (let i = 0; i < entities; i++) {
    kernel.after(0, makeEntity(kernel, 1000 + 7 * i, targetEventsRun));
  }
  const ran = kernel.runUntilQuiet();
  if (ran !== totalEvents) {
    throw new Error(`runPeriodicWorkload: ran ${ran} events, expected ${totalEvents}`);
  }
  return ran;
}

/** makeEntity returns one entity's closure, which reschedules itself until the target is reached. */
function makeEntity(kernel: Kernel, periodUs: number, targetEventsRun: number): () => void {
  const tick = (): void => {
    if (kernel.eventsRun >= targetEventsRun) {
      kernel.stop();
      return;
    }
    kernel.after(periodUs, tick);
  };
  return tick;
}
