import { describe, expect, it } from 'vitest';
import { SenderInbox } from '../../../src/drivers/net/sem-inbox.ts';

describe('one sender inbox', () => {
  it('delivers in order and holds an early record until the gap before it is filled', () => {
    const inbox = new SenderInbox(16, 200);

    expect(inbox.receive(7, 1, 'a', 0)).toEqual({ deliver: [{ seq: 1, body: 'a' }], refused: null, request: null });
    expect(inbox.receive(7, 3, 'c', 0)).toEqual({ deliver: [], refused: null, request: { fromSeq: 2, toSeq: 2 } });
    expect(inbox.receive(7, 2, 'b', 0)).toEqual({ deliver: [{ seq: 2, body: 'b' }, { seq: 3, body: 'c' }], refused: null, request: null });
  });

  it('asks for the same missing range again only after the retry time', () => {
    const inbox = new SenderInbox(16, 200);
    inbox.receive(7, 3, 'c', 0);

    expect(inbox.receive(7, 4, 'd', 50).request).toBe(null);
    expect(inbox.status(7, 4, 250).request).toEqual({ fromSeq: 1, toSeq: 2 });
  });

  it('refuses a duplicate of an applied or a held record', () => {
    const inbox = new SenderInbox(16, 200);
    inbox.receive(7, 1, 'a', 0);
    inbox.receive(7, 3, 'c', 0);

    expect(inbox.receive(7, 1, 'a', 0).refused).toBe('replay');
    expect(inbox.receive(7, 3, 'c', 0).refused).toBe('replay');
  });

  it('bounds the records it holds early', () => {
    const inbox = new SenderInbox(2, 200);
    inbox.receive(7, 3, 'c', 0);
    inbox.receive(7, 4, 'd', 0);

    expect(inbox.receive(7, 5, 'e', 0).refused).toBe('buffer-full');
  });

  it('skips records the sender no longer has and applies what waited behind them', () => {
    const inbox = new SenderInbox(16, 200);
    inbox.receive(7, 4, 'd', 0);

    expect(inbox.skip(7, 3, 0)).toEqual({ deliver: [{ seq: 4, body: 'd' }], refused: null, request: null });
    expect(inbox.expected).toBe(5);
  });
});
