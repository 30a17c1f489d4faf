// EditTimes keeps, per management file, when it was last edited by anyone and from when its edits so
// far could reach the other replicas: what the SEM agreement checker counts a disagreement from
// (checkers/sem-agreement.ts). Every heartbeat stamp notes one (K per interval), so the times sit in
// one Float64Array by file, not in a Map, whose number values would each be a heap object.
import { STORED_FILE_NAMES, type StoredFileName } from '../../core/model/management-files.ts';

const FILE_NO: ReadonlyMap<string, number> = new Map(STORED_FILE_NAMES.map((name, i) => [name, i]));

export class EditTimes {
  /** times holds file i's last edit at 2i and from when its edits could be heard at 2i + 1; -Infinity before the first. */
  private readonly times = new Float64Array(2 * STORED_FILE_NAMES.length).fill(-Infinity);

  /** edited notes a record's edits of their files at nowUs, heard by the others from audibleUs on (its editor's feed impaired until then). */
  edited(edits: readonly { file: string }[], nowUs: number, audibleUs: number): void {
    for (const e of edits) {
      const i = 2 * this.fileNo(e.file);
      this.times[i] = nowUs;
      this.times[i + 1] = Math.max(audibleUs, this.times[i + 1] as number);
    }
  }

  /** lastEditUs is when file was last edited by anyone, or -Infinity. */
  lastEditUs(file: StoredFileName): number {
    return this.times[2 * this.fileNo(file)] as number;
  }

  /** audibleUs is from when the edits of file so far could reach the other replicas, or -Infinity. */
  audibleUs(file: StoredFileName): number {
    return this.times[2 * this.fileNo(file) + 1] as number;
  }

  private fileNo(file: string): number {
    const no = FILE_NO.get(file);
    if (no === undefined) throw new Error(`EditTimes: not a stored management file: ${file}`);
    return no;
  }
}
