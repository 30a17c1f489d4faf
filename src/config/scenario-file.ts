// Scenario files on disk. Parsing is pure (src/config/parse-scenario.ts); this file only reads:
// the scenario's YAML and, for `cluster:`, a directory of management data files (cluster-dir.ts).
import { dirname, isAbsolute, join } from 'node:path';
import { loadClusterDir } from './cluster-dir.ts';
import { parseScenario } from './parse-scenario.ts';
import { readStdinText, readText, STDIN_NAME } from './read-text.ts';
import type { Scenario } from './scenario.ts';

/** STDIN_PATH is the path that names standard input, as in `dbss sim -`. */
export const STDIN_PATH = '-';

/**
 * loadScenarioFile reads and parses a scenario file, or standard input for STDIN_PATH. A
 * `cluster:` directory is read relative to the scenario file's directory (to the current
 * directory for standard input). Every problem is an InputError naming the file and line.
 */
export function loadScenarioFile(path: string): Scenario {
  if (path === STDIN_PATH) {
    const text = readStdinText('scenario', 'a YAML scenario on standard input');
    return parseScenario(text, STDIN_NAME, { loadCluster: (dir) => loadClusterDir(dir) });
  }
  const text = readText(path, 'scenario file', 'a readable YAML file');
  return parseScenario(text, path, {
    loadCluster: (dir) => loadClusterDir(isAbsolute(dir) ? dir : join(dirname(path), dir)),
  });
}
