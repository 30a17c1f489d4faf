// mergeSnapshot joins a peer's whole files into a replica's own (hardened ring, semResync): the
// answer a peer sends when its log no longer holds what was asked, or when it has no log at all
// (a server just handed its files back, A6). Taking the peer's files as they are would lose the
// edits this replica holds and the peer lacks, while the version vectors, merged, claim both: the
// replicas would then never ask again and disagree for good (found by the explorer). So each line
// of the group, separation and problem files is as the later of the two sides' last edits of it
// says (line times, sem-ledger.ts), and each heartbeat keeps the later stamp of the two.
import { applyEdit, cloneFiles } from '../model/sem.ts';
import { heartbeatLine, heartbeatUnixS, lineKey } from '../model/management-files.ts';
import type { ManagementFiles, StoredFileName } from '../model/management-files.ts';

/**
 * LineTime is when a line of the group, separation or problem file was last added or deleted, in
 * (lt, sender) order (sem-ledger.ts). Files handed to another replica go with their line times (a
 * whole copy of the replica's state), or a late concurrent edit would win there and lose everywhere else.
 */
export interface LineTime {
  file: StoredFileName;
  line: string;
  lt: number;
  sender: string;
}

/** lineTimeKey names a line of a file in a map of line times. */
export function lineTimeKey(file: StoredFileName, line: string): string {
  return `${file}\n${line}`;
}

/** compareEdits orders two edits of a line by Lamport time, then sender: negative, 0 (the same edit) or positive. */
export function compareEdits(a: { lt: number; sender: string }, b: { lt: number; sender: string }): number {
  return a.lt !== b.lt ? a.lt - b.lt : a.sender < b.sender ? -1 : a.sender > b.sender ? 1 : 0;
}

const LWW_FILES: readonly StoredFileName[] = ['group.file', 'separation.file', 'problem.file'];

/** mergeSnapshot returns the join of mine (with its line times) and theirs (with theirs). */
export function mergeSnapshot(mine: ManagementFiles | null, mineTimes: readonly LineTime[], theirs: ManagementFiles, theirsTimes: readonly LineTime[]): ManagementFiles {
  const out = cloneFiles(theirs);
  if (mine === null) return out;
  const timeOf = (times: readonly LineTime[]) => new Map(times.map((t) => [lineTimeKey(t.file, t.line), t]));
  const [a, b] = [timeOf(mineTimes), timeOf(theirsTimes)];
  for (const file of LWW_FILES) {
    const inMine = new Set(mine[file]);
    const inTheirs = new Set(theirs[file]);
    for (const line of new Set([...inMine, ...inTheirs])) {
      if (inMine.has(line) === inTheirs.has(line)) continue;
      const key = lineTimeKey(file, line);
      const [mineTime, theirTime] = [a.get(key), b.get(key)];
      // Mine wins only with a later edit of the line; with no edit known, the peer's files stand.
      if (mineTime === undefined || (theirTime !== undefined && compareEdits(mineTime, theirTime) <= 0)) continue;
      applyEdit(out, inMine.has(line) ? { file, op: 'Add', line } : { file, op: 'Del', line });
    }
  }
  for (const line of mine['heartbeat.file']) {
    const server = lineKey(line);
    const stampS = heartbeatUnixS(mine, server) ?? 0;
    const theirStampS = heartbeatUnixS(out, server);
    if (theirStampS === null) applyEdit(out, { file: 'heartbeat.file', op: 'Add', line });
    else if (stampS > theirStampS) applyEdit(out, { file: 'heartbeat.file', op: 'Mod', oldLine: heartbeatLine(server, theirStampS), newLine: line });
  }
  return out;
}
