// HostQueue holds, per management server, the intervals in which that server's own management
// work runs: the steps several DBSSs on one server share take turns there (Sec. 4.2, Fig. 10(b)(c);
// Sec. 5.3: "the time required to deal with simultaneous failures such as the management server
// selection processing"). Assumption (REPORT.md): A3 load collection, A4 edit of the shared
// management files and the procedure file send of the original server method (Sec. 3.1) run one
// at a time on the server that issues them; everything else (examinations, activation of a
// virtual server on its host, VIP moves) runs side by side. A step that finds its server free
// takes exactly its own time, so a server with one DBSS at work is timed as before.

export class HostQueue {
  /** busy holds, per server, its booked intervals [start, end) in start order, none ended before the last booking. */
  private readonly busy = new Map<string, Array<[number, number]>>();

  /**
   * book reserves durationUs of server's time at fromUs or the first free moment after it, and
   * returns when the booked step ends. Bookings are made in the order the steps are issued; a
   * later step may fill a gap before an earlier booking that lies in the future.
   */
  book(server: string, nowUs: number, fromUs: number, durationUs: number): number {
    let list = this.busy.get(server);
    if (list === undefined) this.busy.set(server, (list = []));
    // Bookings never overlap, so in start order they are in end order too: the ended ones lead.
    let ended = 0;
    while (ended < list.length && (list[ended] as [number, number])[1] <= nowUs) ended++;
    if (ended === list.length) list.length = 0;
    else if (ended > 0) list.splice(0, ended);
    let start = fromUs;
    let at = 0;
    for (; at < list.length; at++) {
      const [s, e] = list[at]!;
      if (start + durationUs <= s) break;
      if (e > start) start = e;
    }
    // Nearly always the server is free and the list empty: a push costs less than a splice.
    if (at === list.length) list.push([start, start + durationUs]);
    else list.splice(at, 0, [start, start + durationUs]);
    return start + durationUs;
  }

  /** clear forgets a server's bookings (it stopped: its programs and their steps went with it). */
  clear(server: string): void {
    this.busy.delete(server);
  }
}
