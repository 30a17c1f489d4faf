// WriteAhead holds what a receiver does with an accepted datagram (apply a SEM record, answer a
// request) until the state that accepted it (a sender's next sequence number, the nonces seen) is
// saved. A restart then never finds a replay window older than what was acted on: an old record
// refused as stale while the agent ran stays refused after it restarts (issue 15). Saves are
// batched: the datagrams accepted while one save is under way wait for the next, which covers
// them all, so a burst of resent records costs a few writes, not one each. The price of saving
// first is the usual one of a write-ahead: a crash between the save and the action loses the
// action (a SEM record is then missing here, as if lost on the network), never repeats it.

/** Persisted is a receiver's saved state: what a previous incarnation left, and how to save anew. */
export interface Persisted<T> {
  /** restored is the state saved by the previous incarnation, or null on a first start. */
  restored: T | null;
  /** save writes state durably; it resolves once it is on disk. */
  save(state: T): Promise<void>;
  /** failed reports a save that failed; the actions it held go ahead (the log says so). */
  failed(error: Error): void;
}

export class WriteAhead<T> {
  private readonly pending: (() => void)[] = [];
  private draining: Promise<void> | null = null;

  constructor(
    /** persisted is where state goes; without it, actions run at once (tests of the transports alone). */
    private readonly persisted: Persisted<T> | undefined,
    /** state reads the receiver's state as it is now. */
    private readonly state: () => T,
  ) {}

  /** after runs action once the receiver's state as it is now is saved. */
  after(action: () => void): void {
    if (this.persisted === undefined) return action();
    this.pending.push(action);
    this.draining ??= this.drain(this.persisted);
  }

  /** idle resolves once every action held so far has run. */
  async idle(): Promise<void> {
    while (this.draining !== null) await this.draining;
  }

  private async drain(persisted: Persisted<T>): Promise<void> {
    try {
      while (this.pending.length > 0) {
        const batch = this.pending.splice(0);
        await persisted.save(this.state()).catch((error: Error) => persisted.failed(error));
        for (const action of batch) action();
      }
    } finally {
      // Set in the same turn as the last look at pending: an action held later starts a new drain.
      this.draining = null;
    }
  }
}
