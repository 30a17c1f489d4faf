// The SEM replicas of the management files (Sec. 3.1) must never disagree for longer than one
// monitoring interval (the hardened ring: its resynchronisation bound, program/sem-ledger.ts
// resyncBoundUs) after the last edit of that file, counted from when both could hear SEM
// records again if either was cut off the management network or in a SEM fault, or from when the
// file's editor could be heard again if it edited while so cut off (as sets of lines: the order in which
// concurrent Add records arrive does not change what a file says). Comparing every replica at every change
// would cost more than the simulation, so this runs once an interval.
import { filesEqual } from '../../core/model/sem.ts';
import { STORED_FILE_NAMES } from '../../core/model/management-files.ts';
import type { ReplicaView } from '../../core/model/management-files.ts';
import type { World } from '../world/world.ts';
import type { Checker, ViolationLog } from './violation.ts';

export const SEM_AGREEMENT = 'sem-agreement';

export class SemAgreementChecker implements Checker {
  constructor(
    private readonly log: ViolationLog,
    private readonly boundUs: number,
  ) {}

  onSample(world: World): void {
    // The replicas are read in place, each against the first running one: nothing here keeps them past this sample.
    let first: { server: string; files: ReplicaView } | null = null;
    for (const s of world.servers.values()) {
      const node = s.runner?.node;
      if (node === undefined || !node.running) continue;
      const files = node.filesView();
      if (files === null) continue;
      if (first === null) first = { server: s.name, files };
      else if (!filesEqual(first.files, files)) this.compareFiles(world, first, { server: s.name, files });
    }
  }

  /** compareFiles looks, file by file, at two replicas that differ, and records a disagreement that outlasted its bound. */
  private compareFiles(world: World, first: { server: string; files: ReplicaView }, other: { server: string; files: ReplicaView }): void {
    const nowUs = world.kernel.nowUs;
    for (const name of STORED_FILE_NAMES) {
      // Files are compared as the protocol reads them: sets of lines. Two managers' Add records
      // can arrive in either order, which orders the lines differently but means the same.
      const a = [...first.files[name]].sort().join('|');
      const b = [...other.files[name]].sort().join('|');
      if (a === b) continue;
      // A replica cannot know what it could not receive: count from the later of the file's last
      // edit, the end of either replica's last cut off the management network or SEM fault, and
      // the end of the cut of an editor that edited while cut off (its records reach no one before).
      const lastEditUs = world.editTimes.lastEditUs(name);
      const audibleUs = world.editTimes.audibleUs(name);
      const heardUs = Math.max(world.network.impairedUntilUs(first.server), world.network.impairedUntilUs(other.server));
      const sinceUs = Math.max(lastEditUs, audibleUs, heardUs);
      if (nowUs - sinceUs > this.boundUs) {
        const since = sinceUs === lastEditUs ? 'after its last edit'
          : sinceUs === heardUs ? 'after both replicas could hear SEM records again' : 'after its editor could be heard again';
        this.log.record(SEM_AGREEMENT, nowUs, `${name} differs between ${first.server} and ${other.server} ${((nowUs - sinceUs) / 1e6).toFixed(1)} s ${since}`);
      }
    }
  }
}
