// A minimal forward HTTP proxy (squid on the paper's Proxy server, Table 1): it relays
// `GET http://host[:port]/path` to origins inside the lab's address range only, and answers 502
// when the origin does not answer, which the proxy examination still counts as a working proxy.
import { type Server, createServer, request } from 'node:http';
import { isIpv4 } from '../../core/model/validate.ts';

/** ORIGIN_TIMEOUT_MS bounds a relayed request; the examination itself waits 3 s (Table 1). */
const ORIGIN_TIMEOUT_MS = 2000;

/** isLabAddress accepts 198.18.0.0/15 only: the proxy must never relay to the host's networks. */
export function isLabAddress(address: string): boolean {
  return isIpv4(address) && (address.startsWith('198.18.') || address.startsWith('198.19.'));
}

export function proxyServer(serverName: string): Server {
  return createServer((req, res) => {
    const fail = (status: number, why: string): void => {
      if (res.headersSent) return void res.destroy();
      res.writeHead(status, { 'content-type': 'text/plain', 'x-dbss-server': serverName });
      res.end(`${why}\n`);
    };
    let target: URL;
    try {
      target = new URL(req.url ?? '');
    } catch {
      return fail(400, 'absolute http:// URL expected');
    }
    if (target.protocol !== 'http:' || req.method !== 'GET') return fail(405, 'only GET http:// is relayed');
    if (!isLabAddress(target.hostname)) return fail(403, 'only lab addresses (198.18.0.0/15) are relayed');
    const upstream = request(
      { host: target.hostname, port: Number(target.port || 80), path: `${target.pathname}${target.search}`, method: 'GET', timeout: ORIGIN_TIMEOUT_MS, headers: { host: target.host, via: `1.0 ${serverName}` } },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, { ...answer.headers, via: `1.0 ${serverName}` });
        answer.pipe(res);
      },
    );
    upstream.on('timeout', () => upstream.destroy(new Error('origin timeout')));
    upstream.on('error', (error) => fail(502, `origin ${target.host} did not answer: ${error.message}`));
    upstream.end();
  });
}
