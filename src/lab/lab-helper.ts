// lab-helper.ts runs inside one lab namespace and does what must be done from there: examine
// servers as the client or a manager would (ping and the service check, Sec. 2.1), open an SSH
// session with the lab's known_hosts, or send a magic packet on the management network. The
// host's own process cannot do it: the lab's addresses are not routed in the root namespace.
// It prints one JSON value on stdout.
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { isIpv4 } from '../core/model/validate.ts';
import { KnownHosts } from '../drivers/known-hosts.ts';
import { assertSafeAbsolutePath } from '../drivers/paths.ts';
import { checkService, pingHost, type ServiceKind } from '../drivers/probes.ts';
import { SshSession } from '../drivers/ssh.ts';
import { sendWol } from '../drivers/wol.ts';

/** ProbeTarget is one server to examine. */
export interface ProbeTarget {
  name: string;
  address: string;
  service: ServiceKind;
  port: number;
}

/** ProbeReport is what the helper found for one target. */
export interface ProbeReport {
  name: string;
  address: string;
  ping: { ok: boolean; detail: string };
  service: { ok: boolean; detail: string; elapsedMs: number };
}

const SERVICES = new Set<string>(['ftp', 'smtp', 'http', 'ssh', 'proxy']);

async function probe(targetsJson: string, timeoutMs: number): Promise<ProbeReport[]> {
  const targets = JSON.parse(targetsJson) as ProbeTarget[];
  return Promise.all(
    targets.map(async (t) => {
      if (!isIpv4(t.address) || !SERVICES.has(t.service)) throw new TypeError(`bad probe target ${JSON.stringify(t)}`);
      const [ping, service] = await Promise.all([pingHost(t.address, { timeoutMs }), checkService(t.service, t.address, { port: t.port, timeoutMs })]);
      return { name: t.name, address: t.address, ping: { ok: ping.ok, detail: ping.detail }, service: { ok: service.ok, detail: service.detail, elapsedMs: Math.round(service.elapsedMs) } };
    }),
  );
}

async function ssh(host: string, keyPath: string, knownHostsPath: string, argv: string[], timeoutMs: number): Promise<unknown> {
  assertSafeAbsolutePath(keyPath, 'client key');
  assertSafeAbsolutePath(knownHostsPath, 'known_hosts');
  const knownHosts = KnownHosts.fromText(await readFile(knownHostsPath, 'utf8'));
  try {
    const session = await SshSession.connect({ host, username: 'root', privateKey: await readFile(keyPath), knownHosts, timeoutMs });
    try {
      const result = await session.exec(argv, { timeoutMs });
      return { ok: true, ...result };
    } finally {
      session.close();
    }
  } catch (error) {
    return { ok: false, error: `${(error as Error).name}: ${(error as Error).message}` };
  }
}

async function main(): Promise<void> {
  const [command, ...rest] = process.argv.slice(2);
  const { values, positionals } = parseArgs({
    args: rest,
    options: {
      targets: { type: 'string' },
      'timeout-ms': { type: 'string' },
      host: { type: 'string' },
      key: { type: 'string' },
      'known-hosts': { type: 'string' },
      mac: { type: 'string' },
      broadcast: { type: 'string' },
      port: { type: 'string' },
    },
    allowPositionals: true,
    strict: true,
  });
  const timeoutMs = Number(values['timeout-ms'] ?? 3000);
  let result: unknown;
  switch (command) {
    case 'probe':
      result = await probe(values.targets ?? '[]', timeoutMs);
      break;
    case 'ssh':
      result = await ssh(values.host ?? '', values.key ?? '', values['known-hosts'] ?? '', positionals, timeoutMs);
      break;
    case 'wol':
      await sendWol(values.mac ?? '', { broadcastAddress: values.broadcast ?? '', port: Number(values.port ?? 9), timeoutMs });
      result = { ok: true };
      break;
    default:
      throw new Error(`lab-helper: unknown command ${JSON.stringify(command)}; expected probe, ssh or wol`);
  }
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`lab-helper: ${(error as Error).message}\n`);
  process.exitCode = 1;
});
