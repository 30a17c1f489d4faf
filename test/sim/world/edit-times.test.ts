import { describe, expect, it } from 'vitest';
import { EditTimes } from '../../../src/sim/world/edit-times.ts';

describe('the times of the management files’ edits (edit-times.ts)', () => {
  it('a file never edited has neither an edit time nor a time its edits were heard', () => {
    const times = new EditTimes();
    expect(times.lastEditUs('group.file')).toBe(-Infinity);
    expect(times.audibleUs('group.file')).toBe(-Infinity);
  });

  it('the last edit is the latest, and edits are heard from the latest end of an impairment so far', () => {
    const times = new EditTimes();
    times.edited([{ file: 'heartbeat.file' }], 1_000, 9_000); // its editor was cut off until 9,000
    times.edited([{ file: 'heartbeat.file' }], 2_000, 2_000);
    expect(times.lastEditUs('heartbeat.file')).toBe(2_000);
    expect(times.audibleUs('heartbeat.file')).toBe(9_000);
    expect(times.lastEditUs('group.file')).toBe(-Infinity);
  });

  it('every file a record edits is noted, and only those', () => {
    const times = new EditTimes();
    times.edited([{ file: 'group.file' }, { file: 'separation.file' }], 5_000, 5_000);
    expect(times.lastEditUs('group.file')).toBe(5_000);
    expect(times.lastEditUs('separation.file')).toBe(5_000);
    expect(times.lastEditUs('problem.file')).toBe(-Infinity);
  });

  it('a file that is not a stored management file is refused', () => {
    expect(() => new EditTimes().edited([{ file: 'operation.file' }], 0, 0)).toThrow(/operation.file/);
  });
});
