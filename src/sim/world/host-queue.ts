// A server's booked management work: the intervals in which that server's own management work
// runs. The steps several DBSSs on one server share take turns there (Sec. 4.2, Fig. 10(b)(c);
// Sec. 5.3: "the time required to deal with simultaneous failures such as the management server
// selection processing"). Assumption (REPORT.md): A3 load collection, A4 edit of the shared
// management files and the procedure file send of the original server method (Sec. 3.1) run one
// at a time on the server that issues them; everything else (examinations, activation of a
// virtual server on its host, VIP moves) runs side by side. A step that finds its server free
// takes exactly its own time, so a server with one DBSS at work is timed as before.
//
// Each server keeps its bookings in a flat array of its own (SimServer.bookedUs: start, end,
// start, end, ...): every heartbeat stamp books a step, and a pair object per stamp kept for an
// interval would be old-generation garbage, K of them an interval.

/**
 * book reserves durationUs of a server's time at fromUs or the first free moment after it, and
 * returns when the booked step ends. bookedUs holds its bookings [start, end) in start order,
 * none ended before the last booking. Bookings are made in the order the steps are issued; a
 * later step may fill a gap before an earlier booking that lies in the future.
 */
export function book(bookedUs: number[], nowUs: number, fromUs: number, durationUs: number): number {
  // Bookings never overlap, so in start order they are in end order too: the ended ones lead.
  let ended = 0;
  while (ended < bookedUs.length && (bookedUs[ended + 1] as number) <= nowUs) ended += 2;
  if (ended === bookedUs.length && ended > 0) {
    // Every booking ended, as nearly always: the step takes its own time from fromUs, and its pair is
    // written over the first (emptying the array would give its store back, and the push after it take
    // a new one at every stamp).
    if (bookedUs.length !== 2) bookedUs.length = 2;
    bookedUs[0] = fromUs;
    bookedUs[1] = fromUs + durationUs;
    return fromUs + durationUs;
  }
  if (ended > 0) bookedUs.splice(0, ended);
  let start = fromUs;
  let at = 0;
  for (; at < bookedUs.length; at += 2) {
    if (start + durationUs <= (bookedUs[at] as number)) break;
    start = Math.max(start, bookedUs[at + 1] as number);
  }
  // Nearly always the server is free and the list empty: a push costs less than a splice.
  if (at === bookedUs.length) bookedUs.push(start, start + durationUs);
  else bookedUs.splice(at, 0, start, start + durationUs);
  return start + durationUs;
}
