// The client of Sec. 5.2, in dbss-infra: it accesses each server's service at its VIP once a
// second and writes one JSON line per access ({atMs, name, ok}), the lab's Fig. 14 client log.
// An access that gets no answer waits 1 s, so failed accesses are about 2 s apart, as in Fig. 14.
//   agents-client.ts --targets JSON --out FILE --dir LABDIR
import { appendFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { ProbeTarget } from '../../src/lab/lab-helper.ts';
import { checkService } from '../../src/drivers/probes.ts';

const { values } = parseArgs({ options: { targets: { type: 'string' }, out: { type: 'string' }, dir: { type: 'string' } }, strict: true });
const targets = JSON.parse(values.targets ?? '[]') as ProbeTarget[];
const out = values.out ?? '';

async function loop(t: ProbeTarget): Promise<never> {
  for (;;) {
    const atMs = Date.now();
    const r = await checkService(t.service, t.address, { port: t.port, timeoutMs: 1000 }).catch(() => ({ ok: false }));
    appendFileSync(out, `${JSON.stringify({ atMs, name: t.name, ok: r.ok })}\n`);
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
}

await Promise.all(targets.map(loop));
