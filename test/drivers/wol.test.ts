import { createSocket } from 'node:dgram';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { MAGIC_PACKET_BYTES, magicPacket, sendWol } from '../../src/drivers/wol.ts';

describe('Wake-on-LAN', () => {
  it('builds a magic packet of six 0xFF bytes followed by the MAC sixteen times', () => {
    const packet = magicPacket('00:1A:2b:3c:4D:5e');

    const mac = [0x00, 0x1a, 0x2b, 0x3c, 0x4d, 0x5e];
    const expected = [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, ...Array.from({ length: 16 }, () => mac).flat()];
    expect(packet.length).toBe(102);
    expect(MAGIC_PACKET_BYTES).toBe(102);
    expect([...packet]).toEqual(expected);
  });

  it('refuses a MAC address that is not six colon-separated bytes', () => {
    expect(() => magicPacket('00:1a:2b:3c:4d')).toThrow(/invalid MAC/);
    expect(() => magicPacket('00:1a:2b:3c:4d:5e; reboot')).toThrow(/invalid MAC/);
    expect(() => magicPacket('001a2b3c4d5e')).toThrow(/invalid MAC/);
  });

  it('sends the magic packet as one UDP datagram to the configured address and port', async () => {
    const receiver = createSocket('udp4');
    await new Promise<void>((resolve) => receiver.bind(0, '127.0.0.1', resolve));
    const { port } = receiver.address() as AddressInfo;
    const received = new Promise<Buffer>((resolve) => receiver.once('message', (msg) => resolve(msg)));

    await sendWol('00:00:00:00:00:03', { broadcastAddress: '127.0.0.1', port, timeoutMs: 2000 });

    const msg = await received;
    receiver.close();
    expect(msg.equals(magicPacket('00:00:00:00:00:03'))).toBe(true);
  });

  it('refuses an invalid broadcast address before opening a socket', async () => {
    await expect(sendWol('00:00:00:00:00:03', { broadcastAddress: '255.255.255.255 -x', timeoutMs: 1000 })).rejects.toThrow(
      /invalid broadcast address/,
    );
  });

  it('does not send when the caller has already aborted', async () => {
    const controller = new AbortController();
    controller.abort(new Error('shutting down'));
    await expect(
      sendWol('00:00:00:00:00:03', { broadcastAddress: '127.0.0.1', port: 9, timeoutMs: 1000, signal: controller.signal }),
    ).rejects.toThrow(/shutting down/);
  });
});
