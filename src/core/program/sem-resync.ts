// SemResync is what a management program does with its SEM ledger (sem-ledger.ts; hardened ring,
// semResync): it numbers its commits, takes the records it hears in order, and decides what to ask
// a peer for, and when.
import { mergeSnapshot } from './sem-merge.ts';
import { SemLedger } from './sem-ledger.ts';
import type { SemAnswer, SemRecord, SemStamp, Versions } from './sem-ledger.ts';
import type { ManagementFiles } from '../model/management-files.ts';
import type { SemEdit } from '../model/sem.ts';

/**
 * SemResync is what a management program does with its ledger: it numbers its commits, takes the
 * records it hears in order, and decides what to ask a peer for; at most one request to a peer per
 * retryUs, so that the heartbeats of one interval do not each send one.
 */
export class SemResync {
  readonly ledger: SemLedger;
  private readonly askedAtUs = new Map<string, number>();
  // askBack: peers whose question showed a vector ahead of this replica's. A server outside the
  // others' group files (handed back, A6, its files and vector from a manager whose SEM records
  // were lost) is nobody's neighbour, and one that commits nothing shows its vector only in its
  // questions: without this, the edits only it and its manager hold wait for the manager's feed.
  private readonly askBack = new Set<string>();

  constructor(self: string, epochUs: number, private readonly retryUs: number) {
    this.ledger = new SemLedger(self, epochUs);
  }

  /** heard takes a live commit of a peer: the records to apply now, and whether to ask that peer for what this replica lacks. */
  heard(nowUs: number, from: string, edits: readonly SemEdit[], stamp: SemStamp, versions: Versions | undefined): { apply: SemRecord[]; ask: boolean } {
    const apply = this.ledger.receive(versions === undefined ? { sender: from, stamp, edits } : { sender: from, stamp, edits, deps: versions });
    return { apply, ask: this.ledger.behind(versions) && this.mayAsk(nowUs, from) };
  }

  /**
   * answered takes a peer's answer: the files to adopt (or null: the peer's whole files joined with
   * mine, sem-merge.ts), then the records to apply in order.
   */
  answered(answer: SemAnswer, mine: ManagementFiles | null): { adopt: ManagementFiles | null; apply: SemRecord[] } {
    const apply: SemRecord[] = [];
    const snapshot = answer.snapshot;
    const adopt = snapshot === null ? null : mergeSnapshot(mine, this.ledger.lines(), snapshot.files, snapshot.lines ?? []);
    if (snapshot !== null) apply.push(...this.ledger.adopt(snapshot.versions, snapshot.lines));
    // An answer sends all of a sender's earlier incarnation the asker lacks before its later one (answer): it vouches for the move.
    for (const record of answer.records) apply.push(...this.ledger.receive(record, true));
    return { adopt, apply };
  }

  /** answer answers a peer's question (ledger.answer) and notes the peer to ask back at the next tick when its vector is ahead (askBack). */
  answer(asker: Versions, mine: ManagementFiles, from: string | undefined): SemAnswer {
    if (from !== undefined && from !== this.ledger.self && this.ledger.behind(asker)) this.askBack.add(from);
    return this.ledger.answer(asker, mine);
  }

  /** takeAskBack is the peers to ask back at this tick (compareWithNeighbours). */
  takeAskBack(): string[] {
    const peers = [...this.askBack];
    this.askBack.clear();
    return peers;
  }

  /** mayAsk tells whether to ask peer now: at most once per retryUs. */
  mayAsk(nowUs: number, peer: string): boolean {
    const last = this.askedAtUs.get(peer);
    if (last !== undefined && nowUs - last < this.retryUs) return false;
    this.askedAtUs.set(peer, nowUs);
    return true;
  }
}
