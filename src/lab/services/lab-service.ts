// The service of one lab server (Sec. 5.1): `lab-service.ts --kind ftp|smtp|http|proxy --name
// Mail --port 25 --dir /run/dbss-lab`. It listens on every address of its namespace, that is on
// the server's own addresses and on a VIP the moment one is added (Sec. 2.1), and nowhere else.
// --dir only marks the command line, so that `dbss lab down` can find it.
import type { Server } from 'node:net';
import { parseArgs } from 'node:util';
import { isHostName } from '../../core/model/validate.ts';
import { bannerServer } from './banner-server.ts';
import { httpServer } from './http-server.ts';
import { proxyServer } from './proxy-server.ts';

const { values } = parseArgs({
  options: { kind: { type: 'string' }, name: { type: 'string' }, port: { type: 'string' }, dir: { type: 'string' } },
  strict: true,
});
const name = values.name ?? '';
const port = Number(values.port);
if (!isHostName(name) || !Number.isInteger(port) || port < 1 || port > 65535) {
  process.stderr.write('usage: lab-service.ts --kind ftp|smtp|http|proxy --name NAME --port N --dir DIR\n');
  process.exit(2);
}
let server: Server;
switch (values.kind) {
  case 'ftp':
  case 'smtp':
    server = bannerServer(values.kind, name);
    break;
  case 'http':
    server = httpServer(name);
    break;
  case 'proxy':
    server = proxyServer(name);
    break;
  default:
    process.stderr.write(`lab-service: unknown kind ${JSON.stringify(values.kind)}\n`);
    process.exit(2);
}
server.on('error', (error) => {
  process.stderr.write(`lab-service ${name}: ${error.message}\n`);
  process.exit(1);
});
server.listen({ port, host: '0.0.0.0' }, () => {
  process.stdout.write(`lab-service ${name}: ${values.kind} listening on port ${port}\n`);
});
