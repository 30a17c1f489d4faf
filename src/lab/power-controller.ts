// The lab's power controller, run in dbss-infra: it stands in for the NICs and power supplies of
// Fig. 13's servers. It listens for magic packets on the management network's broadcast address
// and boots a server that was powered off (fault Nt) after --boot-delay-ms, the lab's short
// stand-in for the real server start time (Table 1: 31.07 s), so that the background job's
// forced start by Wake-on-LAN (Sec. 2.1) works on the lab as on the paper's machines.
//   power-controller.ts --dir /run/dbss-lab --boot-delay-ms 3000
import { createSocket } from 'node:dgram';
import { existsSync, rmSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { labPaths, labServers, MANAGEMENT_BROADCAST, WOL_PORT, type LabServer } from './layout.ts';
import { readLabState } from './lab-state.ts';
import { macOfMagicPacket } from './magic-packet.ts';
import { bootServer, isPoweredOff, powerOffServer, restartRequestFile } from './server-power.ts';

function log(line: string): void {
  process.stdout.write(`${new Date().toISOString()} power-controller: ${line}\n`);
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { dir: { type: 'string' }, 'boot-delay-ms': { type: 'string' } }, strict: true });
  const paths = labPaths(values.dir ?? '');
  const bootDelayMs = Number(values['boot-delay-ms'] ?? 3000);
  if (!Number.isInteger(bootDelayMs) || bootDelayMs < 0 || bootDelayMs > 600_000) throw new RangeError(`invalid --boot-delay-ms ${values['boot-delay-ms']}`);
  const state = await readLabState(paths.stateFile);
  if (state === null) throw new Error(`no lab state in ${paths.stateFile}`);
  const servers = labServers(state.servers);
  const byMac = new Map<string, LabServer>();
  for (const s of servers) {
    byMac.set(s.managementMac, s);
    byMac.set(s.serviceMac, s);
  }
  const booting = new Set<string>();
  const socket = createSocket({ type: 'udp4', reuseAddr: true });
  socket.on('message', (payload, from) => {
    const mac = macOfMagicPacket(payload);
    const server = mac === null ? undefined : byMac.get(mac);
    if (mac === null || server === undefined) {
      log(`ignored ${payload.length} bytes from ${from.address}: ${mac === null ? 'not a magic packet' : `unknown MAC ${mac}`}`);
      return;
    }
    void (async () => {
      if (booting.has(server.name)) return log(`magic packet for ${server.name} from ${from.address}: already booting`);
      if (!(await isPoweredOff(paths, server))) return log(`magic packet for ${server.name} from ${from.address}: it is powered on`);
      booting.add(server.name);
      log(`magic packet for ${server.name} (${mac}) from ${from.address}: booting in ${bootDelayMs} ms`);
      setTimeout(() => {
        bootServer(paths, server, { onBoot: state.onBoot })
          .then(() => log(`${server.name} is up`))
          .catch((error: unknown) => log(`booting ${server.name} failed: ${(error as Error).message}`))
          .finally(() => booting.delete(server.name));
      }, bootDelayMs);
    })();
  });
  // A restart request (server-power.ts restartRequestFile) powers the server off at once and
  // boots it after the boot delay, as a reboot of a real server would take it away and back.
  setInterval(() => {
    for (const server of servers) {
      const request = restartRequestFile(paths, server);
      if (booting.has(server.name) || !existsSync(request)) continue;
      booting.add(server.name);
      rmSync(request, { force: true });
      log(`restart requested for ${server.name}: powering off, booting in ${bootDelayMs} ms`);
      powerOffServer(paths, server)
        .then(() => new Promise((resolve) => setTimeout(resolve, bootDelayMs)))
        .then(() => bootServer(paths, server, { onBoot: state.onBoot }))
        .then(() => log(`${server.name} is up after its restart`))
        .catch((error: unknown) => log(`restarting ${server.name} failed: ${(error as Error).message}`))
        .finally(() => booting.delete(server.name));
    }
  }, 200).unref();
  socket.on('error', (error) => {
    log(`socket error: ${error.message}`);
    process.exit(1);
  });
  // Bound to the broadcast address itself: only magic packets broadcast on the management
  // network reach it, never a unicast to the time server sharing this namespace.
  socket.bind(WOL_PORT, MANAGEMENT_BROADCAST, () => log(`listening on ${MANAGEMENT_BROADCAST}:${WOL_PORT} for ${servers.length} servers`));
}

main().catch((error: unknown) => {
  log(`cannot start: ${(error as Error).message}`);
  process.exit(1);
});
