// The HTML timeline of a run, opened in a real browser (Debian's chromium, headless): the
// screenshot must show the marks, the address can open a zoomed view, pointing reads an event
// and the wheel zooms. CI installs chromium (.ci/run) and a missing one fails there with the
// reason; on a machine without it these tests are skipped, unless CI is set.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/cli.ts';
import { COLOURS } from '../../src/report/html-timeline/timeline-svg.ts';
import { findChromium, Page, screenshot } from '../helpers/headless-chromium.ts';
import { readPng } from '../helpers/png.ts';
import type { Picture } from '../helpers/png.ts';

const chromium = findChromium();
const MISSING = 'chromium is not installed: the HTML timeline tests open the page in a real browser (apt-get install -y chromium; .ci/run installs it)';
/** browserIt runs a browser test where chromium is, fails it in CI where it is not, and skips it elsewhere. */
const browserIt = chromium !== null || process.env.CI !== undefined ? it : it.skip;
const WIDTH = 1240;
const HEIGHT = 520;
/** BAR_PX: a mark is a bar through every row; a dot or a legend swatch of the same hue is at most a few pixels tall. */
const BAR_PX = 150;

let tmp = '';
let html = '';
/** brokenHtml is the timeline of a run that breaks vip-unique (a finding of the explorer, kept as a regression). */
let brokenHtml = '';

function browser(): string {
  if (chromium === null) throw new Error(MISSING);
  return chromium;
}

const shots = new Map<string, Picture>();
/** shot screenshots a file (and a view of it) once for every test that looks at it: each start of chromium costs a second. */
function shot(file: string, view = ''): Picture {
  const url = pathToFileURL(file).href + view;
  let picture = shots.get(url);
  if (picture === undefined) shots.set(url, (picture = readPng(screenshot(browser(), url, WIDTH, HEIGHT))));
  return picture;
}

/** barColumns lists the x of every column holding at least BAR_PX pixels of colour. */
function barColumns(p: Picture, colour: string): number[] {
  const xs: number[] = [];
  for (let x = 0; x < p.width; x++) {
    let n = 0;
    for (let y = 0; y < p.height; y++) if (p.rgb(x, y) === colour) n++;
    if (n >= BAR_PX) xs.push(x);
  }
  return xs;
}

function pixels(p: Picture, colour: string): number {
  let n = 0;
  for (let y = 0; y < p.height; y++) for (let x = 0; x < p.width; x++) if (p.rgb(x, y) === colour) n++;
  return n;
}

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'dbss-html-timeline-'));
  const quiet = [vi.spyOn(console, 'log').mockImplementation(() => undefined), vi.spyOn(console, 'error').mockImplementation(() => undefined)];
  try {
    await main(['sim', 'scenarios/single-ftp-nt.yaml', '--runs', '1', '--out', tmp]);
    await main(['sim', 'scenarios/regressions/earlier-p2p-partition-6s.yaml', '--runs', '1', '--out', tmp]);
  } finally {
    quiet.forEach((q) => q.mockRestore());
  }
  html = join(tmp, 'single-ftp-nt', 'latest', 'run-1', 'timeline.html');
  brokenHtml = join(tmp, 'earlier-p2p-partition-6s', 'latest', 'run-1', 'timeline.html');
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('the HTML timeline of a run', () => {
  it('is one self-contained file: inline script and style, nothing fetched', () => {
    const text = readFileSync(html, 'utf8');

    expect(text).toContain('<script>');
    expect(text).toContain('<style>');
    expect(text).not.toMatch(/<(script|link|img|iframe)[^>]*(src|href)=/);
    expect(text.replaceAll('http://www.w3.org/2000/svg', '')).not.toMatch(/https?:\/\//);
    expect(text).toContain("default-src 'none'");
  });

  browserIt('shows the fault, detection, function and target recovery marks and the client OK/XX strip in a headless chromium screenshot', () => {
    const whole = shot(html);

    const bars = Object.fromEntries((['fault', 'detection', 'function', 'target'] as const).map((k) => [k, barColumns(whole, COLOURS[k])]));
    expect(bars.fault?.length).toBeGreaterThanOrEqual(2);
    expect(bars.detection?.length).toBeGreaterThanOrEqual(2);
    expect(bars.function?.length).toBeGreaterThanOrEqual(2);
    expect(bars.target?.length).toBeGreaterThanOrEqual(2);
    // In time order, as in Fig. 14: fault, detection, function recovery, then target recovery.
    const at = (k: string): number => bars[k]?.[0] ?? -1;
    expect(at('fault')).toBeLessThan(at('detection'));
    expect(at('detection')).toBeLessThan(at('function'));
    expect(at('function')).toBeLessThan(at('target'));
    // FTP's client fails from the fault until the function recovery: some XX among much OK.
    expect(pixels(whole, COLOURS.xx)).toBeGreaterThan(300);
    expect(pixels(whole, COLOURS.ok)).toBeGreaterThan(20 * pixels(whole, COLOURS.xx));
  });

  browserIt('draws the same marks in the static timeline.svg beside the page, without its script', () => {
    const svg = shot(html.replace(/timeline\.html$/, 'timeline.svg'));

    for (const k of ['fault', 'detection', 'function', 'target'] as const) expect(barColumns(svg, COLOURS[k]).length).toBeGreaterThanOrEqual(2);
    expect(readFileSync(html.replace(/timeline\.html$/, 'timeline.svg'), 'utf8')).not.toContain('<script');
  });

  browserIt('opens seconds 0 to 20 from #from=0&to=20: the target recovery mark leaves the view and the others move apart', () => {
    const whole = shot(html);
    const zoomed = shot(html, '#from=0&to=20');

    expect(barColumns(zoomed, COLOURS.target)).toEqual([]);
    const gap = (p: Picture): number => (barColumns(p, COLOURS.function)[0] ?? 0) - (barColumns(p, COLOURS.fault)[0] ?? 0);
    expect(gap(zoomed)).toBeGreaterThan(5 * gap(whole));
  });

  browserIt('marks where a run broke an invariant, and no such mark where none broke', () => {
    const broken = shot(brokenHtml);
    const fine = shot(html);

    expect(barColumns(broken, COLOURS.violation).length).toBeGreaterThanOrEqual(2);
    expect(barColumns(fine, COLOURS.violation)).toEqual([]);
    expect(readFileSync(brokenHtml, 'utf8')).toMatch(/invariant vip-unique broken/);
  });

  browserIt('reads an event where the pointer rests and zooms at the pointer with the wheel', async () => {
    const page = await Page.open(browser(), pathToFileURL(html).href, WIDTH, HEIGHT);
    try {
      const [left, top, width, height] = (await page.evaluate("(() => { const b = document.querySelector('rect.mark').getBoundingClientRect(); return [b.left, b.top, b.width, b.height]; })()")) as number[];
      await page.mouse((left ?? 0) + (width ?? 0) / 2, (top ?? 0) + (height ?? 0) / 2);
      await page.waitFor("document.getElementById('tip').hidden === false");
      expect(await page.evaluate("document.getElementById('tip').hidden")).toBe(false);
      expect(await page.evaluate("document.getElementById('tip').textContent")).toBe('13:43:05.00 (t = 5.00 s) fault injected: Nt FTP at 5 s');

      const span = async (): Promise<number[]> => ((await page.evaluate("document.getElementById('view').textContent")) as string).match(/-?\d+\.\d+/g)?.slice(0, 2).map(Number) ?? [];
      const before = await span();
      for (let i = 0; i < 5; i++) await page.mouse((left ?? 0) + 1, 300, -100);
      // Five notches zoom to 0.8^5 = 0.33 of the span (four to 0.41); under load the last ones land a moment later.
      await page.waitFor(`(() => { const v = document.getElementById('view').textContent.match(/-?\\d+\\.\\d+/g).map(Number); return v[1] - v[0] < ${0.4 * ((before[1] ?? 0) - (before[0] ?? 0))}; })()`);
      const after = await span();
      expect(before).toEqual([-10, 172.6]);
      expect((after[1] ?? 0) - (after[0] ?? 0)).toBeLessThan(0.4 * ((before[1] ?? 0) - (before[0] ?? 0)));
      // The time under the pointer (the fault, 5 s) stays in view.
      expect(after[0]).toBeLessThan(5);
      expect(after[1]).toBeGreaterThan(5);
      await page.evaluate("document.getElementById('reset').click()");
      expect(await span()).toEqual(before);
    } finally {
      await page.close();
    }
  });
});
