// CommandOwners maps every command of a program still under way to whoever waits for its result
// (null: nobody, the owner ended or the program stopped). A program has a handful under way at
// once and each is answered once, in about the order issued: one short array of id and owner in
// turn, scanned for the id, costs less than a Map, whose table is rebuilt every few commands as
// ever larger ids come and go, and one array is one object fewer to reach per result than two.
import type { CommandOwner } from './context.ts';

export class CommandOwners {
  /** entries holds id, owner, id, owner, ... */
  private readonly entries: (number | CommandOwner | null)[] = [];

  /** add records a command just issued. */
  add(id: number, owner: CommandOwner | null): void {
    this.entries.push(id, owner);
  }

  /** take removes a command that was answered and returns its owner, or undefined when no command is under way as id. */
  take(id: number): CommandOwner | null | undefined {
    const i = this.indexOf(id);
    if (i < 0) return undefined;
    const owner = this.entries[i + 1] as CommandOwner | null;
    const last = this.entries.length - 2;
    this.entries[i] = this.entries[last] as number;
    this.entries[i + 1] = this.entries[last + 1] as CommandOwner | null;
    this.entries.length = last;
    return owner;
  }

  /** disown leaves command id to run on with nobody waiting for it. */
  disown(id: number): void {
    const i = this.indexOf(id);
    if (i >= 0) this.entries[i + 1] = null;
  }

  /** disownAll leaves every command of owner (of everybody, without one) to run on with nobody waiting. */
  disownAll(owner?: CommandOwner): void {
    for (let i = 1; i < this.entries.length; i += 2) if (owner === undefined || this.entries[i] === owner) this.entries[i] = null;
  }

  private indexOf(id: number): number {
    for (let i = 0; i < this.entries.length; i += 2) if (this.entries[i] === id) return i;
    return -1;
  }
}
