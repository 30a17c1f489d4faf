// A line-protocol server that greets with 220, as vsftpd (FTP, RFC 959) and postfix (SMTP,
// RFC 5321) do on the paper's FTP and Mail servers (Table 1). It is just enough protocol for the
// manager's service examination (Sec. 2.1) to tell a working service from a dead one.
import { type Server, createServer } from 'node:net';

/** IDLE_TIMEOUT_MS closes a silent client, so probes that never say QUIT do not pile up. */
const IDLE_TIMEOUT_MS = 30_000;

export function bannerServer(protocol: 'ftp' | 'smtp', serverName: string): Server {
  const greeting = protocol === 'ftp' ? `220 ${serverName} dbss lab FTP ready\r\n` : `220 ${serverName.toLowerCase()}.lab ESMTP dbss lab\r\n`;
  return createServer((socket) => {
    socket.setTimeout(IDLE_TIMEOUT_MS, () => socket.destroy());
    socket.on('error', () => socket.destroy());
    socket.write(greeting);
    let buffered = '';
    socket.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('latin1');
      if (buffered.length > 4096) return socket.destroy();
      let eol = buffered.indexOf('\n');
      while (eol >= 0) {
        const verb = buffered.slice(0, eol).trim().split(' ')[0]?.toUpperCase() ?? '';
        buffered = buffered.slice(eol + 1);
        if (verb === 'QUIT') {
          socket.end('221 Bye\r\n');
          return;
        }
        socket.write(protocol === 'smtp' && (verb === 'HELO' || verb === 'EHLO') ? `250 ${serverName.toLowerCase()}.lab\r\n` : '502 Command not implemented\r\n');
        eol = buffered.indexOf('\n');
      }
    });
  });
}
