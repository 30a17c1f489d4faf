import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { removeStaleTemps, writeFileAtomic } from '../../src/drivers/atomic-file.ts';

const OLD = '1 Mail Mail.dat\n2 FTP FTP.dat\n3 Web1 Web1.dat\n';
const NEW = '1 Mail Mail.dat\n3 Web1 Web1.dat\n';

describe('atomic file writing', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'dbss-atomic-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('replaces a file with the new content and leaves no temporary file', async () => {
    const path = join(dir, 'group');
    await writeFile(path, OLD);

    await writeFileAtomic(path, NEW);

    expect(await readFile(path, 'utf8')).toBe(NEW);
    expect(await readdir(dir)).toEqual(['group']);
  });

  it('creates a file that did not exist', async () => {
    await writeFileAtomic(join(dir, 'heartbeat'), 'Mail 1694412190\n');

    expect(await readFile(join(dir, 'heartbeat'), 'utf8')).toBe('Mail 1694412190\n');
  });

  it('leaves the old file whole when the writer fails after writing the temporary file', async () => {
    const path = join(dir, 'group');
    await writeFile(path, OLD);
    let tmpSeen = '';

    const write = writeFileAtomic(path, NEW, {
      faults: {
        afterTempWrite: async (tmpPath) => {
          tmpSeen = await readFile(tmpPath, 'utf8');
          throw new Error('crash between the temporary write and the rename');
        },
      },
    });

    await expect(write).rejects.toThrow(/crash between/);
    expect(tmpSeen).toBe(NEW);
    expect(await readFile(path, 'utf8')).toBe(OLD);
    expect(await readdir(dir)).toEqual(['group']);
  });

  it('leaves the old file whole when the writing process is killed with SIGKILL mid-write', async () => {
    const path = join(dir, 'group');
    await writeFile(path, OLD);
    const moduleUrl = new URL('../../src/drivers/atomic-file.ts', import.meta.url).href;
    // The child stops for good after the temporary file is written; the parent then kills it.
    const script = `
      const { writeFileAtomic } = await import(${JSON.stringify(moduleUrl)});
      await writeFileAtomic(${JSON.stringify(path)}, ${JSON.stringify(NEW)}, {
        faults: { afterTempWrite: () => { process.stdout.write('written\\n'); return new Promise(() => setInterval(() => {}, 1000)); } },
      });`;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: resolve(import.meta.dirname, '../..'),
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    await new Promise<void>((done, fail) => {
      child.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('written') && done());
      child.on('exit', (code) => fail(new Error(`child exited early with ${code}`)));
    });

    child.kill('SIGKILL');
    await new Promise((done) => child.on('exit', done));

    expect(await readFile(path, 'utf8')).toBe(OLD);
    const left = (await readdir(dir)).filter((name) => name !== 'group');
    expect(left).toHaveLength(1);
    expect(await removeStaleTemps(dir)).toEqual(left);
    expect(await readdir(dir)).toEqual(['group']);
  });

  it('with deadWritersOnly removes only the temporary files whose writer is gone, keeping a running writer\'s and an SFTP one', async () => {
    const child = spawn(process.execPath, ['-e', '0']);
    await new Promise((done) => child.on('exit', done));
    const dead = `.group.dbss-tmp-${child.pid}-0123456789ab`;
    const running = `.group.dbss-tmp-${process.pid}-0123456789ab`;
    const sftp = '.group.dbss-tmp-0123456789ab';
    for (const name of [dead, running, sftp, 'group', '.hidden']) await writeFile(join(dir, name), 'x');

    expect(await removeStaleTemps(dir, { deadWritersOnly: true })).toEqual([dead]);

    expect((await readdir(dir)).sort()).toEqual([sftp, running, '.hidden', 'group'].sort());
    expect((await removeStaleTemps(dir)).sort()).toEqual([sftp, running].sort());
    expect((await readdir(dir)).sort()).toEqual(['.hidden', 'group']);
  });

  it('does not rename when the caller aborts before the rename', async () => {
    const path = join(dir, 'group');
    await writeFile(path, OLD);
    const controller = new AbortController();

    const write = writeFileAtomic(path, NEW, { signal: controller.signal, faults: { afterTempWrite: () => controller.abort(new Error('stop')) } });

    await expect(write).rejects.toThrow('stop');
    expect(await readFile(path, 'utf8')).toBe(OLD);
    expect(existsSync(join(dir, 'group'))).toBe(true);
    expect(await readdir(dir)).toEqual(['group']);
  });
});
