// Debian's chromium, headless, for the tests that open our HTML in a real browser. Two ways in:
// screenshot() is the plain command line (`--screenshot`), and Page drives one tab over the
// DevTools protocol on a pipe (--remote-debugging-pipe: JSON messages ended by NUL, commands on
// fd 3, answers on fd 4), so that a test can point, scroll and read the page as a person would.
// No package: the protocol is a few JSON messages.
import { spawn, spawnSync } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Readable, Writable } from 'node:stream';

/** CHROMIUM_NAMES are the commands tried, in order; DBSS_CHROMIUM names another. */
const CHROMIUM_NAMES = ['chromium', 'chromium-browser', 'google-chrome'];

/** findChromium returns the browser command, or null when none is installed. */
export function findChromium(): string | null {
  const names = process.env.DBSS_CHROMIUM !== undefined ? [process.env.DBSS_CHROMIUM] : CHROMIUM_NAMES;
  for (const name of names) {
    if (spawnSync(name, ['--version'], { stdio: 'ignore', timeout: 20_000 }).status === 0) return name;
  }
  return null;
}

/** BASE_FLAGS: headless as root in a container (no sandbox), pixels 1:1 so colours and sizes are exact. */
const BASE_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--hide-scrollbars', '--force-device-scale-factor=1', '--no-first-run', '--disable-extensions'];

/** screenshot opens url with the command line alone and returns the PNG. */
export function screenshot(chromium: string, url: string, width: number, height: number): Buffer {
  const dir = mkdtempSync(join(tmpdir(), 'dbss-shot-'));
  try {
    const file = join(dir, 'shot.png');
    const r = spawnSync(chromium, [...BASE_FLAGS, `--user-data-dir=${join(dir, 'profile')}`, `--screenshot=${file}`, `--window-size=${width},${height}`, url], { encoding: 'utf8', timeout: 60_000 });
    if (r.status !== 0) throw new Error(`${chromium} --screenshot failed (status ${r.status}): ${r.stderr.slice(-500)}`);
    return readFileSync(file);
  } finally {
    rmSync(dir, { recursive: true, force: true, maxRetries: 10, retryDelay: 100 });
  }
}

type Message = { id?: number; method?: string; sessionId?: string; result?: Record<string, unknown>; error?: { message: string } };

/** Page is one tab of a headless chromium driven over the DevTools protocol. */
export class Page {
  private nextId = 1;
  private readonly waiting = new Map<number, { resolve: (m: Message) => void; reject: (e: Error) => void }>();
  private buffered = '';
  private sessionId: string | undefined;

  private constructor(
    private readonly child: ChildProcess,
    private readonly profile: string,
  ) {
    const answers = child.stdio[4] as Readable;
    answers.setEncoding('utf8');
    answers.on('data', (chunk: string) => this.receive(chunk));
    child.on('exit', () => {
      for (const w of this.waiting.values()) w.reject(new Error('chromium exited'));
      this.waiting.clear();
    });
  }

  /** open starts chromium, opens url in a tab of width x height and waits until the page says it is ready. */
  static async open(chromium: string, url: string, width: number, height: number): Promise<Page> {
    const profile = mkdtempSync(join(tmpdir(), 'dbss-chromium-'));
    // A process group of its own, so that close ends chromium's helper processes too.
    const child = spawn(chromium, [...BASE_FLAGS, '--remote-debugging-pipe', `--user-data-dir=${profile}`, 'about:blank'], { stdio: ['ignore', 'ignore', 'ignore', 'pipe', 'pipe'], detached: true });
    const page = new Page(child, profile);
    const { targetId } = (await page.send('Target.createTarget', { url: 'about:blank' })) as { targetId: string };
    const { sessionId } = (await page.send('Target.attachToTarget', { targetId, flatten: true })) as { sessionId: string };
    page.sessionId = sessionId;
    await page.send('Emulation.setDeviceMetricsOverride', { width, height, deviceScaleFactor: 1, mobile: false });
    await page.send('Page.navigate', { url });
    await page.waitFor("document.body !== null && document.body.dataset.ready === 'yes'");
    return page;
  }

  /** evaluate runs an expression in the page and returns its value. */
  async evaluate(expression: string): Promise<unknown> {
    const r = (await this.send('Runtime.evaluate', { expression, returnByValue: true })) as { result: { value?: unknown }; exceptionDetails?: { text: string } };
    if (r.exceptionDetails !== undefined) throw new Error(`page: ${r.exceptionDetails.text} in ${expression}`);
    return r.result.value;
  }

  /** mouse moves the pointer to (x, y) of the page, or turns the wheel there by deltaY (negative: towards the reader, zoom in). */
  async mouse(x: number, y: number, deltaY?: number): Promise<void> {
    if (deltaY === undefined) await this.send('Input.dispatchMouseEvent', { type: 'mouseMoved', x, y });
    else await this.send('Input.dispatchMouseEvent', { type: 'mouseWheel', x, y, deltaX: 0, deltaY });
  }

  async screenshot(): Promise<Buffer> {
    const { data } = (await this.send('Page.captureScreenshot', { format: 'png' })) as { data: string };
    return Buffer.from(data, 'base64');
  }

  async close(): Promise<void> {
    const exited = new Promise((resolve) => (this.child.exitCode !== null ? resolve(null) : this.child.once('exit', resolve)));
    // The whole group: chromium's helpers (zygote, crashpad) wrote to the profile after the browser
    // alone had exited, and the profile's removal failed with ENOTEMPTY.
    try {
      process.kill(-(this.child.pid as number), 'SIGKILL');
    } catch {
      this.child.kill('SIGKILL'); // the group is gone already
    }
    await exited;
    rmSync(this.profile, { recursive: true, force: true, maxRetries: 20, retryDelay: 100 });
  }

  /** waitFor polls an expression until it is true (up to 10 s): input events reach the page after the call that sends them returns. */
  async waitFor(expression: string): Promise<void> {
    for (let i = 0; i < 200; i++) {
      if ((await this.evaluate(expression)) === true) return;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`page never satisfied ${expression}`);
  }

  private send(method: string, params: Record<string, unknown>): Promise<Record<string, unknown>> {
    const id = this.nextId++;
    const message = JSON.stringify({ id, method, params, ...(this.sessionId === undefined ? {} : { sessionId: this.sessionId }) });
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve: (m) => (m.error !== undefined ? reject(new Error(`${method}: ${m.error.message}`)) : resolve(m.result ?? {})), reject });
      (this.child.stdio[3] as Writable).write(`${message}\0`);
    });
  }

  private receive(chunk: string): void {
    this.buffered += chunk;
    let end: number;
    while ((end = this.buffered.indexOf('\0')) !== -1) {
      const m = JSON.parse(this.buffered.slice(0, end)) as Message;
      this.buffered = this.buffered.slice(end + 1);
      if (m.id === undefined) continue;
      this.waiting.get(m.id)?.resolve(m);
      this.waiting.delete(m.id);
    }
  }
}
