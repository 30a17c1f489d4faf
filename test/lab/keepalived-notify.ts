// keepalived's notify script in the lab (keepalived-lab.ts): keepalived runs it at every state
// change of an instance with "INSTANCE <name> <state> <priority>" after the arguments the
// configuration gives, and it appends one JSON line to OUT. The time is the process's start
// (performance.timeOrigin), taken when keepalived started the script, not after Node and tsx load.
//   keepalived-notify.ts OUT INSTANCE FTP MASTER 150
import { appendFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';

const [out = '', type = '', instance = '', state = '', priority = ''] = process.argv.slice(2);
if (!out.startsWith('/') || !/^[A-Za-z0-9_]+$/.test(instance) || !/^(MASTER|BACKUP|FAULT|STOP|DELETED)$/.test(state)) {
  process.stderr.write(`keepalived-notify: unexpected arguments ${JSON.stringify(process.argv.slice(2))}\n`);
  process.exit(2);
}
appendFileSync(out, `${JSON.stringify({ atUs: Math.round(performance.timeOrigin * 1000), type, instance, state, priority: Number(priority) })}\n`);
