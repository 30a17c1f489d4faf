import { describe, expect, it } from 'vitest';
import { CommandOwners } from '../../../src/core/program/command-owners.ts';
import type { CommandOwner } from '../../../src/core/program/context.ts';

const owner = (): CommandOwner => ({ onResult: () => {} });

describe('CommandOwners', () => {
  it('gives each answered command its owner once, whatever order the answers come in', () => {
    const a = owner();
    const b = owner();
    const owners = new CommandOwners();
    owners.addCommand(1, a);
    owners.addCommand(2, b);
    owners.addCommand(3, null);
    expect(owners.takeCommand(2)).toBe(b);
    expect(owners.takeCommand(3)).toBeNull();
    expect(owners.takeCommand(1)).toBe(a);
    expect(owners.takeCommand(1)).toBeUndefined();
  });

  it('knows no command that was never issued, nor the id a free slot holds', () => {
    expect(new CommandOwners().takeCommand(7)).toBeUndefined();
    expect(new CommandOwners().takeCommand(0)).toBeUndefined();
  });

  it('keeps more commands than its four slots, and frees a slot for the next', () => {
    const owners = new CommandOwners();
    const list = Array.from({ length: 7 }, owner);
    list.forEach((o, i) => owners.addCommand(i + 1, o));
    expect(owners.takeCommand(6)).toBe(list[5]);
    expect(owners.takeCommand(2)).toBe(list[1]);
    owners.addCommand(8, null);
    owners.drop(7);
    expect([1, 3, 4, 5, 7, 8].map((id) => owners.takeCommand(id))).toEqual([list[0], list[2], list[3], list[4], null, null]);
    expect(owners.takeCommand(6)).toBeUndefined();
  });

  it('leaves a disowned command under way with nobody waiting for it', () => {
    const a = owner();
    const owners = new CommandOwners();
    owners.addCommand(1, a);
    owners.drop(1);
    owners.drop(9);
    expect(owners.takeCommand(1)).toBeNull();
  });

  it('disowns every command of one owner, or of everybody', () => {
    const a = owner();
    const b = owner();
    const owners = new CommandOwners();
    owners.addCommand(1, a);
    owners.addCommand(2, b);
    owners.addCommand(3, a);
    owners.release(a);
    expect([owners.takeCommand(1), owners.takeCommand(2), owners.takeCommand(3)]).toEqual([null, b, null]);
    owners.addCommand(4, b);
    owners.release();
    expect(owners.takeCommand(4)).toBeNull();
  });
});
