// Reading a Wake-on-LAN magic packet, the inverse of drivers/wol.ts magicPacket: what a NIC that
// is powered off looks for on the wire (Sec. 2.1, "Start_IPR_forcibly" in Fig. 14's log).
import { MAGIC_PACKET_BYTES } from '../drivers/wol.ts';

/**
 * macOfMagicPacket returns the MAC a magic packet wakes (lower case, colon-separated), or null
 * when the payload is not one: six 0xFF bytes then the same MAC sixteen times. Longer payloads
 * (a SecureOn password after the MACs) are accepted, as NICs do.
 */
export function macOfMagicPacket(payload: Uint8Array): string | null {
  if (payload.length < MAGIC_PACKET_BYTES) return null;
  for (let i = 0; i < 6; i += 1) if (payload[i] !== 0xff) return null;
  const mac = payload.subarray(6, 12);
  for (let copy = 1; copy < 16; copy += 1) {
    for (let i = 0; i < 6; i += 1) if (payload[6 + copy * 6 + i] !== mac[i]) return null;
  }
  return [...mac].map((b) => b.toString(16).padStart(2, '0')).join(':');
}
