// The UDP endpoint every management-network protocol of a server listens on (SEM, load requests):
// bound to the server's management address, never taken down by a send error to one peer, and
// reporting every datagram it does not act on as a Refusal worth a log line.
import { createSocket, type RemoteInfo, type Socket } from 'node:dgram';

/** Refusal is a datagram (or a record in one) that was not acted on, and why. */
export interface Refusal<Reason extends string> {
  reason: Reason;
  /** from is the sender the datagram claims, null when it could not be read. */
  from: string | null;
  /** address is where the datagram came from, `ip:port`. */
  address: string;
  detail: string;
}

/** refusal describes a datagram from rinfo that is not acted on. */
export function refusal<Reason extends string>(reason: Reason, from: string | null, rinfo: RemoteInfo, detail: string): Refusal<Reason> {
  return { reason, from, address: `${rinfo.address}:${rinfo.port}`, detail };
}

/** bindUdp opens a UDP socket on address:port (port 0 picks a free one, for tests). */
export async function bindUdp(address: string, port: number): Promise<Socket> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(port, address, () => {
      socket.off('error', reject);
      resolve();
    });
  });
  socket.on('error', () => undefined); // a send error to one peer must not take the server down
  return socket;
}

/** closeUdp closes the socket and resolves once it is closed. */
export function closeUdp(socket: Socket): Promise<void> {
  return new Promise((resolve) => socket.close(() => resolve()));
}
