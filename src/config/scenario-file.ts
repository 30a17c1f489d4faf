// Scenario files on disk. Parsing is pure (src/config/parse-scenario.ts); this file only reads:
// the scenario's YAML and, for `cluster:`, a directory of management data files (cluster-dir.ts).
import { dirname, isAbsolute, join } from 'node:path';
import { loadClusterDir } from './cluster-dir.ts';
import { parseScenario } from './parse-scenario.ts';
import { readText } from './read-text.ts';
import type { Scenario } from './scenario.ts';

/**
 * loadScenarioFile reads and parses a scenario file. A `cluster:` directory is read relative to
 * the scenario file's directory. Every problem is an InputError naming the file and line.
 */
export function loadScenarioFile(path: string): Scenario {
  const text = readText(path, 'scenario file', 'a readable YAML file');
  return parseScenario(text, path, {
    loadCluster: (dir) => loadClusterDir(isAbsolute(dir) ? dir : join(dirname(path), dir)),
  });
}
