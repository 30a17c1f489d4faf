// CommandOwners maps every command of a program still under way to whoever waits for its result
// (null: nobody, the owner ended or the program stopped). A program has a handful under way at
// once and each is answered once, in about the order issued: two short arrays scanned for the id
// cost less than a Map, whose table is rebuilt every few commands as ever larger ids come and go.
import type { CommandOwner } from './context.ts';

export class CommandOwners {
  private readonly ids: number[] = [];
  private readonly owners: (CommandOwner | null)[] = [];

  /** add records a command just issued. */
  add(id: number, owner: CommandOwner | null): void {
    this.ids.push(id);
    this.owners.push(owner);
  }

  /** take removes a command that was answered and returns its owner, or undefined when no command is under way as id. */
  take(id: number): CommandOwner | null | undefined {
    const i = this.ids.indexOf(id);
    if (i < 0) return undefined;
    const owner = this.owners[i] as CommandOwner | null;
    const last = this.ids.length - 1;
    this.ids[i] = this.ids[last] as number;
    this.owners[i] = this.owners[last] as CommandOwner | null;
    this.ids.pop();
    this.owners.pop();
    return owner;
  }

  /** disown leaves command id to run on with nobody waiting for it. */
  disown(id: number): void {
    const i = this.ids.indexOf(id);
    if (i >= 0) this.owners[i] = null;
  }

  /** disownAll leaves every command of owner (of everybody, without one) to run on with nobody waiting. */
  disownAll(owner?: CommandOwner): void {
    for (let i = 0; i < this.owners.length; i++) if (owner === undefined || this.owners[i] === owner) this.owners[i] = null;
  }
}
