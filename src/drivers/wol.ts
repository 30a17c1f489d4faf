// Wake-on-LAN, the background job's forced start of a stopped target server (Sec. 2.1;
// "Start_IPR_forcibly" in the system log of Fig. 14).
import { createSocket } from 'node:dgram';
import { isIpv4, isMac } from '../core/model/validate.ts';
import { assertCallOptions, type CallOptions } from './exec.ts';

/** MAGIC_PACKET_BYTES is the size of a magic packet: 6 bytes of 0xFF and the MAC 16 times. */
export const MAGIC_PACKET_BYTES = 6 + 16 * 6;

/** WOL_DEFAULT_PORT is the discard port that most Wake-on-LAN senders use. */
export const WOL_DEFAULT_PORT = 9;

/**
 * magicPacket builds the 102-byte magic packet that a sleeping NIC recognises: a synchronisation
 * stream of six 0xFF bytes followed by sixteen copies of its own MAC address.
 */
export function magicPacket(mac: string): Buffer {
  if (!isMac(mac)) throw new TypeError(`invalid MAC address ${JSON.stringify(mac)}`);
  const macBytes = Buffer.from(mac.split(':').map((pair) => Number.parseInt(pair, 16)));
  const packet = Buffer.alloc(MAGIC_PACKET_BYTES, 0xff);
  for (let i = 0; i < 16; i += 1) macBytes.copy(packet, 6 + i * 6);
  if (packet.length !== MAGIC_PACKET_BYTES) throw new Error('magic packet has the wrong length');
  return packet;
}

export interface WolOptions extends CallOptions {
  /** broadcastAddress is the directed broadcast of the management network the target sits on. */
  broadcastAddress: string;
  port?: number;
}

/**
 * sendWol sends one magic packet for mac over UDP to broadcastAddress:port. The address is
 * configured, never guessed from the host's interfaces: the lab points it at a namespace's
 * bridge, and a unicast address works too (the tests send to 127.0.0.1).
 */
export async function sendWol(mac: string, opts: WolOptions): Promise<void> {
  assertCallOptions(opts);
  const port = opts.port ?? WOL_DEFAULT_PORT;
  if (!isIpv4(opts.broadcastAddress)) {
    throw new TypeError(`invalid broadcast address ${JSON.stringify(opts.broadcastAddress)}`);
  }
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new RangeError(`invalid UDP port ${port}`);
  const packet = magicPacket(mac);
  opts.signal?.throwIfAborted();
  const socket = createSocket('udp4');
  try {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`Wake-on-LAN to ${mac}: not sent within ${opts.timeoutMs} ms`)), opts.timeoutMs);
      const onAbort = (): void => reject(opts.signal?.reason ?? new Error('aborted'));
      opts.signal?.addEventListener('abort', onAbort, { once: true });
      const done = (err: Error | null): void => {
        clearTimeout(timer);
        opts.signal?.removeEventListener('abort', onAbort);
        if (err === null) resolve();
        else reject(err);
      };
      socket.once('error', done);
      socket.bind(0, () => {
        socket.setBroadcast(true);
        socket.send(packet, port, opts.broadcastAddress, (err) => done(err ?? null));
      });
    });
  } finally {
    socket.close();
  }
}
