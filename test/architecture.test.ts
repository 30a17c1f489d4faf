// The layout of docs/architecture.md, kept true by reading every import of src/. Each folder is one
// concept and the arrows between folders point one way: cli -> (sim | agent, report, lab, config,
// paper) -> drivers -> core. The core imports nothing outside itself, the simulator and the real
// world (agent, drivers) never import each other, and nothing imports a command.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const SRC = resolve('src');

/** ALLOWED says which top-level folders of src/ each folder may import from (itself always). */
const ALLOWED: Record<string, readonly string[]> = {
  core: [],
  sim: ['core'],
  drivers: ['core'],
  agent: ['core', 'drivers'],
  paper: ['core', 'sim'],
  config: ['core', 'sim', 'paper', 'agent', 'drivers'],
  report: ['core', 'sim', 'paper', 'drivers'],
  lab: ['core', 'drivers', 'config'],
  cli: ['core', 'sim', 'drivers', 'agent', 'paper', 'config', 'report', 'lab'],
};

/**
 * CORE_ALLOWED says which folders of src/core each may import from: the model knows nothing of
 * programs; the DBSS (both methods') knows no method; neither method knows the other.
 */
const CORE_ALLOWED: Record<string, readonly string[]> = {
  model: [],
  program: ['model'],
  dbss: ['model', 'program'],
  ring: ['model', 'program', 'dbss'],
  p2p: ['model', 'program', 'dbss'],
  '.': ['model', 'program', 'dbss', 'ring', 'p2p'],
};

/** PACKAGES lists the packages (and Node modules) each folder may use; the core uses none. */
const PACKAGES: Record<string, (name: string) => boolean> = {
  core: () => false,
  sim: (name) => ['seedrandom', 'fast-check', 'node:crypto'].includes(name),
};

interface Import {
  file: string;
  line: number;
  spec: string;
  /** target is the imported file relative to src/, or null for a package. */
  target: string | null;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(path);
    return /\.(ts|mts|mjs)$/.test(e.name) ? [path] : [];
  });
}

const SPEC = /(?:\bfrom\s+|\bimport\s*\(\s*|\bimport\s+|new URL\(\s*)(['"])([^'"]+)\1/g;

function importsOf(path: string): Import[] {
  const text = readFileSync(path, 'utf8');
  const out: Import[] = [];
  text.split('\n').forEach((lineText, i) => {
    if (/^\s*(\/\/|\*)/.test(lineText)) return;
    for (const m of lineText.matchAll(SPEC)) {
      const spec = m[2] as string;
      const target = spec.startsWith('.') ? relative(SRC, resolve(dirname(path), spec)) : null;
      out.push({ file: relative(SRC, path), line: i + 1, spec, target });
    }
  });
  return out;
}

const FILES = sourceFiles(SRC);
const IMPORTS = FILES.flatMap(importsOf);
const folderOf = (srcPath: string): string => srcPath.split('/')[0] as string;
const coreFolderOf = (srcPath: string): string => {
  const parts = srcPath.split('/');
  return parts.length > 2 ? (parts[1] as string) : '.';
};
const where = (i: Import): string => `src/${i.file}:${i.line} imports ${i.spec}`;

describe('the architecture of docs/architecture.md', () => {
  it('finds the source files and their imports (the check reads something)', () => {
    expect(FILES.length).toBeGreaterThan(100);
    expect(IMPORTS.filter((i) => i.target !== null).length).toBeGreaterThan(300);
  });

  it('every top-level folder of src/ is one the architecture names', () => {
    const folders = new Set(FILES.map((f) => folderOf(relative(SRC, f))));
    expect([...folders].filter((f) => !(f in ALLOWED))).toEqual([]);
  });

  it('src/core imports nothing outside src/core, no package and no Node module', () => {
    const bad = IMPORTS.filter((i) => folderOf(i.file) === 'core' && (i.target === null || folderOf(i.target) !== 'core'));
    expect(bad.map(where)).toEqual([]);
  });

  it('every folder imports only from the folders its arrows point to: sim and agent/drivers never import each other, nothing imports a command', () => {
    const bad = IMPORTS.filter((i) => {
      if (i.target === null) return false;
      const from = folderOf(i.file);
      const to = folderOf(i.target);
      return from !== to && !(ALLOWED[from] ?? []).includes(to);
    });
    expect(bad.map(where)).toEqual([]);
  });

  it('inside the core, the model knows no program, the shared DBSS knows no method, and ring and P2P do not know each other', () => {
    const bad = IMPORTS.filter((i) => {
      if (i.target === null || folderOf(i.file) !== 'core') return false;
      const from = coreFolderOf(i.file);
      const to = coreFolderOf(i.target);
      return from !== to && !(CORE_ALLOWED[from] ?? []).includes(to);
    });
    expect(bad.map(where)).toEqual([]);
  });

  it('the core and the simulator use only the packages their determinism allows', () => {
    const bad = IMPORTS.filter((i) => {
      const allowed = PACKAGES[folderOf(i.file)];
      return i.target === null && allowed !== undefined && !allowed(i.spec);
    });
    expect(bad.map(where)).toEqual([]);
  });

  it('the core and the simulator read no clock, no timer and no randomness outside the seeded streams', () => {
    const forbidden = /\bMath\.random\b|\bDate\.now\b|\bnew Date\b|\bsetTimeout\b|\bsetInterval\b|\bsetImmediate\b|\bperformance\.now\b|\bprocess\.hrtime\b/;
    const bad = FILES.filter((f) => ['core', 'sim'].includes(folderOf(relative(SRC, f)))).flatMap((f) =>
      readFileSync(f, 'utf8')
        .split('\n')
        .map((text, i) => ({ text, at: `src/${relative(SRC, f)}:${i + 1}` }))
        .filter(({ text }) => !/^\s*(\/\/|\*)/.test(text) && forbidden.test(text))
        .map(({ at, text }) => `${at}: ${text.trim()}`),
    );
    expect(bad).toEqual([]);
  });

  it('no source file is over 400 lines (docs/style.md 3: a longer file holds two concepts)', () => {
    const long = FILES.map((f) => ({ f: relative(SRC, f), lines: readFileSync(f, 'utf8').split('\n').length - 1 })).filter((x) => x.lines > 400);
    expect(long).toEqual([]);
  });
});
