// Child process for file-store.test.ts: writes the paper's initial files, then starts the A4 edit
// of Fig. 12 (FTP from the group file to the separation file) with every file write held after
// its temporary file, so that the test can SIGKILL it in the middle of the edit.
import { initialFiles } from '../../src/core/model/management-files.ts';
import { applyEdit, cloneFiles } from '../../src/core/model/sem.ts';
import type { SemEdit } from '../../src/core/model/sem.ts';
import { FileStore } from '../../src/agent/file-store.ts';

const dir = process.argv[2] ?? '';
const ring = ['Mail', 'FTP', 'Web1'].map((server, i) => ({ no: i + 1, server, dataFile: `${server}.dat` }));
const files = initialFiles(ring, 1_700_000_000);
await new FileStore({ dir }).writeSet(files);
const edits: SemEdit[] = [
  { file: 'group.file', op: 'Del', line: '2 FTP FTP.dat' },
  { file: 'separation.file', op: 'Add', line: '2 FTP FTP.dat' },
];
const next = cloneFiles(files);
for (const e of edits) applyEdit(next, e);
const store = new FileStore({ dir, holdAfterTempMs: 60_000 });
await store.load();
process.stdout.write('editing\n');
await store.save(next, edits);
