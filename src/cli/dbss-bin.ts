// The path of bin/dbss.js, for the commands that start dbss again elsewhere (Slurm tasks, the
// processes of dbss scale): bin/dbss.js runs the build when it is fresh, else the sources.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const DBSS_BIN = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'bin', 'dbss.js');
