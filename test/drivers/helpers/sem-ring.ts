// A ring of SEM transports on 127.0.0.1 for the transport's tests: one per name, each told the
// others' ports, closed after every test (closeLoopbackRing in afterEach), and a way to send a raw
// datagram to one of them, as anyone on the management network could.
import { createSocket } from 'node:dgram';
import { type SemPeer, SemTransport, type SemTransportOptions } from '../../../src/drivers/net/sem-transport.ts';

const opened: SemTransport[] = [];

/** openLoopbackRing opens one transport per name with the options optionsOf gives it, and tells each the others' ports. */
export async function openLoopbackRing(
  names: readonly string[],
  key: Buffer,
  optionsOf: (name: string) => Pick<SemTransportOptions, 'onEdit' | 'onRefused'> & Partial<SemTransportOptions>,
): Promise<Map<string, SemTransport>> {
  const transports = new Map<string, SemTransport>();
  for (const name of names) {
    const transport = await SemTransport.open({ self: name, bindAddress: '127.0.0.1', port: 0, key, peers: [], statusIntervalMs: 0, ...optionsOf(name) });
    opened.push(transport);
    transports.set(name, transport);
  }
  const peers: SemPeer[] = names.map((name) => ({ name, address: '127.0.0.1', port: transports.get(name)?.port ?? 0 }));
  for (const transport of transports.values()) transport.setPeers(peers);
  return transports;
}

/** closeLoopbackRing closes every transport openLoopbackRing opened. */
export async function closeLoopbackRing(): Promise<void> {
  await Promise.all(opened.splice(0).map((t) => t.close()));
}

/** injectDatagram sends frame to a transport's port on 127.0.0.1. */
export async function injectDatagram(target: SemTransport, frame: Buffer): Promise<void> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.send(frame, target.port, '127.0.0.1', () => resolve()));
  socket.close();
}
