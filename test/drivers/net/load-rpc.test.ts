// A3 of Fig. 12 between two agents on 127.0.0.1: the predicted loads travel authenticated; a
// forged answer, a request with the wrong key and a replayed request are refused and reported.
import { createSocket } from 'node:dgram';
import { afterEach, beforeEach, expect, test } from 'vitest';
import type { LoadReport } from '../../../src/core/program/commands.ts';
import { encodeLoadFrame, LoadRpc, type LoadRefusal } from '../../../src/drivers/net/load-rpc.ts';
import { freeUdpPort } from '../../helpers/net.ts';

const KEY = Buffer.from('s'.repeat(64));
const report = (server: string): LoadReport => ({ server, predicted: { memKb: 4e6, cpuIdlePct: 700, netBytesPerS: 1e6 }, spec: { memKb: 8e6, cores: 8, ratedBytesPerS: 1.25e8 }, vmCapacity: 3 });


let mail: LoadRpc;
let ftp: LoadRpc;
let refusedAtFtp: LoadRefusal[];
let refusedAtMail: LoadRefusal[];
let ports: { mail: number; ftp: number };

beforeEach(async () => {
  ports = { mail: await freeUdpPort(), ftp: await freeUdpPort() };
  const peers = [
    { name: 'Mail', address: '127.0.0.1', port: ports.mail },
    { name: 'FTP', address: '127.0.0.1', port: ports.ftp },
    { name: 'Web1', address: '127.0.0.1', port: 9 },
  ];
  refusedAtFtp = [];
  refusedAtMail = [];
  mail = await LoadRpc.open({ self: 'Mail', bindAddress: '127.0.0.1', port: ports.mail, key: KEY, peers, report: () => report('Mail'), onRefused: (r) => void refusedAtMail.push(r), maxSkewMs: 30_000 });
  ftp = await LoadRpc.open({ self: 'FTP', bindAddress: '127.0.0.1', port: ports.ftp, key: KEY, peers, report: () => report('FTP'), onRefused: (r) => void refusedAtFtp.push(r), maxSkewMs: 30_000 });
});
afterEach(async () => {
  await Promise.all([mail.close(), ftp.close()]);
});

test('a manager collects the predicted load of the servers that answer within the timeout', async () => {
  const reports = await mail.collect(300);
  expect(reports).toEqual([report('FTP')]); // Web1 does not answer: it is not a candidate host
});

const sendRaw = (frame: Buffer, port: number): Promise<void> => {
  const s = createSocket('udp4');
  return new Promise((resolve) => s.send(frame, port, '127.0.0.1', () => s.close(() => resolve())));
};

test('a request signed with another key, a replayed request and an answer to no request are refused', async () => {
  const request = { t: 'loadReq' as const, from: 'Mail', to: 'FTP', nonce: 'ab'.repeat(16), sentMs: Date.now() };
  await sendRaw(encodeLoadFrame(request, Buffer.from('x'.repeat(64))), ports.ftp);
  await sendRaw(encodeLoadFrame(request, KEY), ports.ftp);
  await sendRaw(encodeLoadFrame(request, KEY), ports.ftp);
  await sendRaw(encodeLoadFrame({ t: 'loadRep', from: 'FTP', to: 'Mail', nonce: 'cd'.repeat(16), report: report('FTP') }, KEY), ports.mail);
  await new Promise((resolve) => setTimeout(resolve, 200));
  expect(refusedAtFtp.map((r) => r.reason)).toEqual(['bad-hmac', 'replay']);
  // Mail also refuses FTP's answer to the request this test forged in Mail's name: Mail never asked.
  expect(refusedAtMail.map((r) => r.reason)).toEqual(['unexpected', 'unexpected']);
});

test('a request older than the allowed skew is refused as stale', async () => {
  await sendRaw(encodeLoadFrame({ t: 'loadReq', from: 'Mail', to: 'FTP', nonce: 'ef'.repeat(16), sentMs: Date.now() - 60_000 }, KEY), ports.ftp);
  await new Promise((resolve) => setTimeout(resolve, 100));
  expect(refusedAtFtp.map((r) => r.reason)).toEqual(['stale']);
});
