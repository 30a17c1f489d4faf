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
import type { LineTime } from './sem-ledger.ts';

const LWW_FILES: readonly StoredFileName[] = ['group.file', 'separation.file', 'problem.file'];

/** mergeSnapshot returns the join of mine (with its line times) and theirs (with theirs). */
export function mergeSnapshot(mine: ManagementFiles | null, mineTimes: readonly LineTime[], theirs: ManagementFiles, theirsTimes: readonly LineTime[]): ManagementFiles {
  const out = cloneFiles(theirs);
  if (mine === null) return out;
  const timeOf = (times: readonly LineTime[]) => new Map(times.map((t) => [`${t.file}\n${t.line}`, t]));
  const [a, b] = [timeOf(mineTimes), timeOf(theirsTimes)];
  for (const file of LWW_FILES) {
    const inMine = new Set(mine[file]);
    const inTheirs = new Set(theirs[file]);
    for (const line of new Set([...inMine, ...inTheirs])) {
      if (inMine.has(line) === inTheirs.has(line)) continue;
      const key = `${file}\n${line}`;
      if (!isLater(a.get(key), b.get(key))) continue;
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

/** isLater tells whether mine's last edit of a line comes after theirs (no edit known: never later). */
function isLater(mine: LineTime | undefined, theirs: LineTime | undefined): boolean {
  if (mine === undefined) return false;
  if (theirs === undefined) return true;
  return mine.lt > theirs.lt || (mine.lt === theirs.lt && mine.sender > theirs.sender);
}
