// Time in the core is an integer number of microseconds. Every duration name ends in Us.

/** US_PER_S is the number of microseconds in one second. */
export const US_PER_S = 1_000_000;

/** secondsToUs converts seconds (as the paper writes them) to integer microseconds. */
export function secondsToUs(seconds: number): number {
  return Math.round(seconds * US_PER_S);
}

/** usToSeconds converts microseconds back to seconds for reports. */
export function usToSeconds(us: number): number {
  return us / US_PER_S;
}

/** nextMultipleUs returns the first multiple of intervalUs strictly after nowUs (tick alignment, Sec. 3.2). */
export function nextMultipleUs(nowUs: number, intervalUs: number): number {
  return (Math.floor(nowUs / intervalUs) + 1) * intervalUs;
}
