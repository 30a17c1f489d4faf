// Test helpers for code that listens on UDP.
import { createSocket } from 'node:dgram';

/** freeUdpPort finds a UDP port on 127.0.0.1 that nobody listens on right now. */
export async function freeUdpPort(): Promise<number> {
  const s = createSocket('udp4');
  await new Promise<void>((resolve) => s.bind(0, '127.0.0.1', resolve));
  const port = s.address().port;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}
