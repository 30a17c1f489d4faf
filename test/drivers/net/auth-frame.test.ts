// The management network's authenticated frame, shared by the SEM transport and the load requests.
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decodeFrame, encodeFrame } from '../../../src/drivers/net/sem-wire.ts';
import { decodeLoadFrame, encodeLoadFrame } from '../../../src/drivers/net/load-rpc.ts';

const KEY = randomBytes(32);

describe('the authenticated frame of the management network', () => {
  it('gives back a SEM message sealed with the shared key', () => {
    const message = { t: 'status', from: 'Mail', epoch: 7, highestSeq: 3 } as const;

    expect(decodeFrame(encodeFrame(message, KEY), KEY)).toEqual({ ok: true, message });
  });

  it('refuses a load request presented as a SEM frame, though both carry the same key: the domains differ', () => {
    const load = encodeLoadFrame({ t: 'loadReq', from: 'Mail', to: 'FTP', nonce: 'ab'.repeat(16), sentMs: 1 }, KEY);

    expect(decodeFrame(load, KEY)).toEqual({ ok: false, reason: 'bad-hmac', detail: 'HMAC does not match' });
  });

  it('refuses a SEM frame presented as a load request', () => {
    const sem = encodeFrame({ t: 'status', from: 'Mail', epoch: 7, highestSeq: 3 }, KEY);

    expect(decodeLoadFrame(sem, KEY).ok).toBe(false);
  });

  it('refuses a frame whose JSON was changed after sealing', () => {
    const frame = encodeFrame({ t: 'status', from: 'Mail', epoch: 7, highestSeq: 3 }, KEY).toString('utf8').replace('"highestSeq":3', '"highestSeq":4');

    expect(decodeFrame(Buffer.from(frame, 'utf8'), KEY)).toEqual({ ok: false, reason: 'bad-hmac', detail: 'HMAC does not match' });
  });

  it('will not seal with a key shorter than 32 bytes', () => {
    expect(() => encodeFrame({ t: 'status', from: 'Mail', epoch: 7, highestSeq: 3 }, Buffer.alloc(16))).toThrow(/at least 32 bytes/);
  });
});
