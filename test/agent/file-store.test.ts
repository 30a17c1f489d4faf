// The management files on disk survive a SIGKILL in the middle of an edit: every file is whole
// (atomic replace), and the edit that was half written is finished at start from Diff.dat.
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { initialFiles, parseManagementFile, STORED_FILE_NAMES } from '../../src/core/model/management-files.ts';
import { FileStore, JOURNAL_FILE, WATCH_FILE, watchFileText } from '../../src/agent/file-store.ts';

let dir = '';
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dbss-store-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

test('a process SIGKILLed while writing a two-file edit leaves whole files, and the next start finishes the edit from Diff.dat', async () => {
  // Arrange: the child writes the files, then holds after the first temporary file of the edit.
  const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'store-writer.ts'), dir], { stdio: ['ignore', 'pipe', 'inherit'] });
  // The first writes (the initial files) are not held; the edit starts after "editing".
  await new Promise<void>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('editing\n')) resolve();
    });
    child.once('exit', () => reject(new Error(`the writer exited early: ${out}`)));
  });
  const deadline = Date.now() + 20_000;
  let names: string[] = [];
  // Diff.dat is written (atomically, through its own temporary file) before the held file writes.
  const held = (n: string): boolean => n.includes('.dbss-tmp-') && !n.startsWith(`.${JOURNAL_FILE}`);
  while (!names.some(held) && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 50));
    names = await readdir(dir);
  }
  expect(names).toContain(JOURNAL_FILE);
  // Act
  child.kill('SIGKILL');
  await new Promise((resolve) => child.once('exit', resolve));
  // Assert: every stored file parses; the group file still has FTP on disk (the edit was cut short)...
  for (const name of STORED_FILE_NAMES) parseManagementFile(name, await readFile(join(dir, name), 'utf8'), name);
  expect(await readFile(join(dir, 'group.file'), 'utf8')).toContain('2 FTP FTP.dat');
  // ...and a new start removes the temporary file and applies Diff.dat again: the edit is whole.
  const store = new FileStore({ dir });
  expect((await store.prepare()).length).toBe(1);
  const loaded = await store.load();
  expect(loaded?.replayed).toBe(2);
  expect(loaded?.files['group.file']).toEqual(['1 Mail Mail.dat', '3 Web1 Web1.dat']);
  expect(loaded?.files['separation.file']).toEqual(['2 FTP FTP.dat']);
  expect(await readFile(join(dir, 'separation.file'), 'utf8')).toBe('2 FTP FTP.dat\n');
  expect(await readdir(dir)).not.toContain(JOURNAL_FILE);
}, 30_000);

test('Diff.dat applied to files that already hold its edits changes nothing (SEM edits are idempotent)', async () => {
  const ring = ['Mail', 'FTP'].map((server, i) => ({ no: i + 1, server, dataFile: `${server}.dat` }));
  const store = new FileStore({ dir });
  await store.writeSet({ ...initialFiles(ring, 5), 'group.file': ['1 Mail Mail.dat'], 'separation.file': ['2 FTP FTP.dat'] });
  await writeFile(join(dir, JOURNAL_FILE), 'group.file, Del, 2 FTP FTP.dat\nseparation.file, Add, 2 FTP FTP.dat\n');
  const loaded = await new FileStore({ dir }).load();
  expect(loaded?.files['group.file']).toEqual(['1 Mail Mail.dat']);
  expect(loaded?.files['separation.file']).toEqual(['2 FTP FTP.dat']);
});

test('a standby server without a whole set of files has none (load is null until group.file arrives)', async () => {
  const store = new FileStore({ dir });
  await writeFile(join(dir, 'separation.file'), '');
  await writeFile(join(dir, 'heartbeat.file'), '');
  await writeFile(join(dir, 'problem.file'), '');
  expect(await store.load()).toBeNull();
  await writeFile(join(dir, 'group.file'), '1 Mail Mail.dat\n');
  expect((await store.load())?.files['group.file']).toEqual(['1 Mail Mail.dat']);
});

test("a manager's watch of separated servers sent with the files is loaded once with exactly those files, and ignored with other files", async () => {
  const ring = ['Mail', 'FTP', 'Web1'].map((server, i) => ({ no: i + 1, server, dataFile: `${server}.dat` }));
  const files = { ...initialFiles(ring, 5), 'group.file': ['1 Mail Mail.dat', '3 Web1 Web1.dat'], 'separation.file': ['2 FTP FTP.dat'] };
  const store = new FileStore({ dir });
  await store.writeSet(files);
  await writeFile(join(dir, WATCH_FILE), watchFileText(files, [{ server: 'FTP', sinceUs: 1_700_000_000_000_000 }]));
  expect((await store.load())?.watch).toEqual([{ server: 'FTP', sinceUs: 1_700_000_000_000_000 }]);
  expect((await store.load())?.watch).toEqual([]);
  await writeFile(join(dir, WATCH_FILE), watchFileText({ ...files, 'separation.file': [] }, [{ server: 'FTP', sinceUs: 5 }]));
  const other = await store.load();
  expect([other?.watch, other?.watchIgnored]).toEqual([[], `${WATCH_FILE} was sent with other files`]);
  await writeFile(join(dir, WATCH_FILE), JSON.stringify({ files: 'x', watch: [['FTP; rm -rf /', 5]] }));
  expect((await store.load())?.watchIgnored).toBe(`${WATCH_FILE} is not { files, watch }`);
});
