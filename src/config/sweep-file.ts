// Sweep files on disk. Parsing is pure (parse-sweep.ts); this file only reads the sweep's YAML
// and its base scenario, whose `cluster:` is read relative to the base scenario's directory.
import { dirname, isAbsolute, join } from 'node:path';
import { loadClusterDir } from './cluster-dir.ts';
import { parseScenarioSource } from './parse-scenario.ts';
import type { Scenario } from './scenario.ts';
import type { YamlSource } from './yaml-source.ts';
import { parseSweep } from './parse-sweep.ts';
import type { Sweep } from './parse-sweep.ts';
import { readText } from './read-text.ts';

/** SweepTexts is a sweep as read: its file and text, and its base scenario's (what workers and shard merges rebuild it from). */
export interface SweepTexts {
  file: string;
  text: string;
  baseFile: string;
  baseText: string;
}

/** loadSweepFile reads and parses a sweep file; every problem is an InputError naming a file and line. */
export function loadSweepFile(path: string): Sweep {
  const text = readText(path, 'sweep file', 'a readable YAML file');
  let baseFile = path;
  return parseSweep(text, path, {
    loadBase: (base) => {
      baseFile = isAbsolute(base) ? base : join(dirname(path), base);
      return { file: baseFile, text: readText(baseFile, 'scenario', "a readable scenario file (the sweep's scenario:)") };
    },
    parsePoint: (source, baseText) => pointParser(baseFile)(source, baseText),
  });
}

/** sweepOfTexts parses a sweep whose texts were read before (by the command, for a worker; from a shard's directory, for a merge). */
export function sweepOfTexts(t: SweepTexts): Sweep {
  return parseSweep(t.text, t.file, { loadBase: () => ({ file: t.baseFile, text: t.baseText }), parsePoint: pointParser(t.baseFile) });
}

/** pointParser checks a point's scenario as a file beside the base scenario: `cluster:` is read from the base's directory. */
function pointParser(baseFile: string): (source: YamlSource, text: string) => Scenario {
  return (source, text) => parseScenarioSource(source, text, { loadCluster: (dir) => loadClusterDir(isAbsolute(dir) ? dir : join(dirname(baseFile), dir)) });
}
