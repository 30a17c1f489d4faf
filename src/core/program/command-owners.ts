// CommandOwners maps every command of a program still under way to whoever waits for its result
// (null: nobody, the owner ended or the program stopped). A program has a handful under way at
// once and each is answered once. ManagementProgram extends it, so that the first four commands
// under way are fields of the program itself: an answer then reaches its owner without another
// object (a large ring's programs are out of the caches between two of their events, and each
// object on the way is a miss); more than four go to an array, scanned for the id, which costs
// less than a Map whose table is rebuilt every few commands as ever larger ids come and go.
import type { CommandOwner } from './context.ts';

/** NONE marks a free slot: command ids start at 1. */
const NONE = 0;

export class CommandOwners {
  private id0 = NONE;
  private owner0: CommandOwner | null = null;
  private id1 = NONE;
  private owner1: CommandOwner | null = null;
  private id2 = NONE;
  private owner2: CommandOwner | null = null;
  private id3 = NONE;
  private owner3: CommandOwner | null = null;
  /** more holds the commands past the fourth: id, owner, id, owner, ... */
  private more: (number | CommandOwner | null)[] = [];

  /** addCommand records a command just issued (its id is positive). */
  addCommand(id: number, owner: CommandOwner | null): void {
    if (this.id0 === NONE) {
      this.id0 = id;
      this.owner0 = owner;
    } else if (this.id1 === NONE) {
      this.id1 = id;
      this.owner1 = owner;
    } else if (this.id2 === NONE) {
      this.id2 = id;
      this.owner2 = owner;
    } else if (this.id3 === NONE) {
      this.id3 = id;
      this.owner3 = owner;
    } else this.more.push(id, owner);
  }

  /** takeCommand removes a command that was answered and returns its owner, or undefined when no command is under way as id. */
  takeCommand(id: number): CommandOwner | null | undefined {
    let owner: CommandOwner | null;
    if (id === NONE) return undefined;
    if (id === this.id0) {
      owner = this.owner0;
      this.id0 = NONE;
      this.owner0 = null;
    } else if (id === this.id1) {
      owner = this.owner1;
      this.id1 = NONE;
      this.owner1 = null;
    } else if (id === this.id2) {
      owner = this.owner2;
      this.id2 = NONE;
      this.owner2 = null;
    } else if (id === this.id3) {
      owner = this.owner3;
      this.id3 = NONE;
      this.owner3 = null;
    } else {
      const i = this.moreIndexOf(id);
      if (i < 0) return undefined;
      owner = this.more[i + 1] as CommandOwner | null;
      const last = this.more.length - 2;
      this.more[i] = this.more[last] as number;
      this.more[i + 1] = this.more[last + 1] as CommandOwner | null;
      this.more.length = last;
    }
    return owner;
  }

  /** drop leaves command id to run on with nobody waiting for it (ProgramContext.drop). */
  drop(id: number): void {
    if (id === this.id0) this.owner0 = null;
    else if (id === this.id1) this.owner1 = null;
    else if (id === this.id2) this.owner2 = null;
    else if (id === this.id3) this.owner3 = null;
    else {
      const i = this.moreIndexOf(id);
      if (i >= 0) this.more[i + 1] = null;
    }
  }

  /** release leaves every command of owner (of everybody, without one) to run on with nobody waiting (ProgramContext.release). */
  release(owner?: CommandOwner): void {
    const mine = (o: CommandOwner | null): boolean => owner === undefined || o === owner;
    if (mine(this.owner0)) this.owner0 = null;
    if (mine(this.owner1)) this.owner1 = null;
    if (mine(this.owner2)) this.owner2 = null;
    if (mine(this.owner3)) this.owner3 = null;
    for (let i = 1; i < this.more.length; i += 2) if (mine(this.more[i] as CommandOwner | null)) this.more[i] = null;
  }

  private moreIndexOf(id: number): number {
    for (let i = 0; i < this.more.length; i += 2) if (this.more[i] === id) return i;
    return -1;
  }
}
