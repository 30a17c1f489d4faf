// The metrics endpoint: GET /metrics on the address and port agent.yaml names (off unless it
// names them; loopback when it names only the port), answered from AgentMetrics. Nothing else
// is served; any other path is 404 and any other method 405, so the port says nothing more than
// the metrics do. The address is checked again here, as every value that reaches a bind is.
import { createServer, type Server } from 'node:http';
import { isIpv4 } from '../core/model/validate.ts';
import type { AgentMetrics } from './metrics.ts';

/** MetricsServer is a listening endpoint; port is the bound one (0 in agent.yaml takes any free port). */
export interface MetricsServer {
  address: string;
  port: number;
  close(): Promise<void>;
}

/** serveMetrics listens on address:port; it rejects with the bind's error (EADDRINUSE, EADDRNOTAVAIL). */
export async function serveMetrics(metrics: AgentMetrics, address: string, port: number): Promise<MetricsServer> {
  if (!isIpv4(address)) throw new TypeError(`metrics: not an IPv4 address: ${JSON.stringify(address)}`);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new TypeError(`metrics: not a port: ${port}`);
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0];
    if (path !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('only /metrics\n');
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { 'content-type': 'text/plain', allow: 'GET, HEAD' }).end('GET only\n');
      return;
    }
    metrics.text().then(
      (body) => res.writeHead(200, { 'content-type': metrics.registry.contentType }).end(req.method === 'HEAD' ? undefined : body),
      (error: Error) => res.writeHead(500, { 'content-type': 'text/plain' }).end(`${error.message}\n`),
    );
  });
  server.headersTimeout = 5000;
  server.requestTimeout = 10_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, address, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const bound = server.address();
  return {
    address,
    port: typeof bound === 'object' && bound !== null ? bound.port : port,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
