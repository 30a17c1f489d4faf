// A web server that answers every GET with a small page naming the server (Apache on the
// paper's Web 1 and Web 2, Table 1), so that a client probe can also tell which server served
// it after a VIP moved (Sec. 2.1).
import { type Server, createServer } from 'node:http';

export function httpServer(serverName: string): Server {
  const server = createServer((req, res) => {
    const body = `<!doctype html><title>${serverName}</title><p>dbss lab web server ${serverName}</p>\n`;
    res.writeHead(req.method === 'GET' || req.method === 'HEAD' ? 200 : 405, {
      'content-type': 'text/html; charset=utf-8',
      'content-length': Buffer.byteLength(body),
      'x-dbss-server': serverName,
    });
    res.end(req.method === 'HEAD' ? undefined : body);
  });
  server.requestTimeout = 10_000;
  server.headersTimeout = 5_000;
  return server;
}
