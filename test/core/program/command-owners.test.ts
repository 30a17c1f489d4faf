import { describe, expect, it } from 'vitest';
import { CommandOwners } from '../../../src/core/program/command-owners.ts';
import type { CommandOwner } from '../../../src/core/program/context.ts';

const owner = (): CommandOwner => ({ onResult: () => {} });

describe('CommandOwners', () => {
  it('gives each answered command its owner once, whatever order the answers come in', () => {
    const a = owner();
    const b = owner();
    const owners = new CommandOwners();
    owners.add(1, a);
    owners.add(2, b);
    owners.add(3, null);
    expect(owners.take(2)).toBe(b);
    expect(owners.take(3)).toBeNull();
    expect(owners.take(1)).toBe(a);
    expect(owners.take(1)).toBeUndefined();
  });

  it('knows no command that was never issued', () => {
    expect(new CommandOwners().take(7)).toBeUndefined();
  });

  it('leaves a disowned command under way with nobody waiting for it', () => {
    const a = owner();
    const owners = new CommandOwners();
    owners.add(1, a);
    owners.disown(1);
    owners.disown(9);
    expect(owners.take(1)).toBeNull();
  });

  it('disowns every command of one owner, or of everybody', () => {
    const a = owner();
    const b = owner();
    const owners = new CommandOwners();
    owners.add(1, a);
    owners.add(2, b);
    owners.add(3, a);
    owners.disownAll(a);
    expect([owners.take(1), owners.take(2), owners.take(3)]).toEqual([null, b, null]);
    owners.add(4, b);
    owners.disownAll();
    expect(owners.take(4)).toBeNull();
  });
});
