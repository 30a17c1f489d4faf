import { randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import type { SemEdit } from '../../../src/core/model/sem.ts';
import { type SemRefusal, SemTransport, type SemTransportOptions } from '../../../src/drivers/net/sem-transport.ts';
import { type SemMessage, encodeFrame } from '../../../src/drivers/net/sem-wire.ts';
import { closeLoopbackRing, injectDatagram, openLoopbackRing } from '../helpers/sem-ring.ts';

const KEY = randomBytes(32);
const delFtp: SemEdit = { file: 'group.file', op: 'Del', line: '2 FTP FTP.dat' };
const addFtpToSeparation: SemEdit = { file: 'separation.file', op: 'Add', line: '2 FTP FTP.dat' };
const problem: SemEdit = { file: 'problem.file', op: 'Add', line: 'FTPb FTP Mail' };
const edits = [delFtp, addFtpToSeparation, problem, { file: 'problem.file', op: 'Del', line: 'FTPb FTP Mail' } as SemEdit];

interface Node {
  name: string;
  transport: SemTransport;
  applied: { sender: string; seq: number; edit: SemEdit }[];
  refused: SemRefusal[];
  gaps: [string, number, number][];
}

afterEach(closeLoopbackRing);

/** ring opens one transport per name on 127.0.0.1 and tells each the others' ports. */
async function ring(names: string[], extra: Partial<Record<string, Partial<SemTransportOptions>>> = {}): Promise<Record<string, Node>> {
  const nodes: Record<string, Node> = {};
  for (const name of names) nodes[name] = { name, transport: undefined as unknown as SemTransport, applied: [], refused: [], gaps: [] };
  const transports = await openLoopbackRing(names, KEY, (name) => {
    const node = nodes[name] as Node;
    return {
      onEdit: (sender, seq, edit) => node.applied.push({ sender, seq, edit }),
      onRefused: (refusal) => node.refused.push(refusal),
      onGap: (sender, from, to) => node.gaps.push([sender, from, to]),
      ...extra[name],
    };
  });
  for (const [name, transport] of transports) (nodes[name] as Node).transport = transport;
  return nodes;
}

function node(nodes: Record<string, Node>, name: string): Node {
  const n = nodes[name];
  if (n === undefined) throw new Error(`no node ${name}`);
  return n;
}

/** inject sends a raw datagram to a node, as anyone on the management network could. */
async function inject(target: Node, frame: Buffer): Promise<void> {
  await injectDatagram(target.transport, frame);
}

describe('the SEM transport on 127.0.0.1', () => {
  it('delivers each edit to every other management server once, in order, with the sender and its sequence number', async () => {
    const nodes = await ring(['Mail', 'FTP', 'Web1']);
    const mail = node(nodes, 'Mail');

    mail.transport.send(delFtp);
    mail.transport.send(addFtpToSeparation);

    for (const name of ['FTP', 'Web1']) {
      await expect.poll(() => node(nodes, name).applied.length).toBe(2);
      expect(node(nodes, name).applied).toEqual([
        { sender: 'Mail', seq: 1, edit: delFtp },
        { sender: 'Mail', seq: 2, edit: addFtpToSeparation },
      ]);
    }
    expect(mail.applied).toEqual([]);
  });

  it('applies a record delivered twice only once and reports the second as a replay', async () => {
    const nodes = await ring(['Mail', 'FTP']);
    const ftp = node(nodes, 'FTP');
    const record: SemMessage = { t: 'edit', from: 'Mail', epoch: node(nodes, 'Mail').transport.epoch, seq: 1, body: 'group.file, Del, 2 FTP FTP.dat' };

    await inject(ftp, encodeFrame(record, KEY));
    await inject(ftp, encodeFrame(record, KEY));

    await expect.poll(() => ftp.refused.length).toBe(1);
    expect(ftp.applied).toEqual([{ sender: 'Mail', seq: 1, edit: delFtp }]);
    expect(ftp.refused[0]).toMatchObject({ reason: 'replay', from: 'Mail' });
  });

  it('refuses and reports a record with a wrong HMAC, applying nothing', async () => {
    const nodes = await ring(['Mail', 'FTP']);
    const ftp = node(nodes, 'FTP');
    const forged: SemMessage = { t: 'edit', from: 'Mail', epoch: node(nodes, 'Mail').transport.epoch, seq: 1, body: 'group.file, Del, 1 Mail Mail.dat' };

    await inject(ftp, encodeFrame(forged, randomBytes(32)));

    await expect.poll(() => ftp.refused.length).toBe(1);
    expect(ftp.refused[0]).toMatchObject({ reason: 'bad-hmac', from: null, detail: 'HMAC does not match' });
    expect(ftp.applied).toEqual([]);
  });

  it('refuses a record whose body was altered after signing', async () => {
    const nodes = await ring(['Mail', 'FTP']);
    const ftp = node(nodes, 'FTP');
    const frame = encodeFrame({ t: 'edit', from: 'Mail', epoch: node(nodes, 'Mail').transport.epoch, seq: 1, body: 'group.file, Del, 2 FTP FTP.dat' }, KEY);

    await inject(ftp, Buffer.from(frame.toString().replace('2 FTP FTP.dat', '1 Mail Mail.dat')));

    await expect.poll(() => ftp.refused.length).toBe(1);
    expect(ftp.refused[0]?.reason).toBe('bad-hmac');
    expect(ftp.applied).toEqual([]);
  });

  it('refuses and reports a correctly signed record from a server that is not in the ring', async () => {
    const nodes = await ring(['Mail', 'FTP']);
    const ftp = node(nodes, 'FTP');

    await inject(ftp, encodeFrame({ t: 'edit', from: 'Eve', epoch: 1, seq: 1, body: 'group.file, Del, 2 FTP FTP.dat' }, KEY));

    await expect.poll(() => ftp.refused.length).toBe(1);
    expect(ftp.refused[0]).toMatchObject({ reason: 'unknown-sender', from: 'Eve' });
    expect(ftp.applied).toEqual([]);
  });

  it('asks the sender for a lost record and applies the records in order once it arrives', async () => {
    let dropped = false;
    const nodes = await ring(['Mail', 'FTP'], {
      Mail: {
        faults: {
          dropOutgoing: (peer, message) => {
            if (dropped || peer !== 'FTP' || message.t !== 'edit' || message.seq !== 2) return false;
            dropped = true;
            return true;
          },
        },
      },
    });
    const mail = node(nodes, 'Mail');
    const ftp = node(nodes, 'FTP');

    for (const edit of edits.slice(0, 3)) mail.transport.send(edit);

    await expect.poll(() => ftp.applied.length).toBe(3);
    expect(dropped).toBe(true);
    expect(ftp.applied.map((a) => a.seq)).toEqual([1, 2, 3]);
    expect(ftp.applied.map((a) => a.edit)).toEqual(edits.slice(0, 3));
    expect(ftp.refused).toEqual([]);
  });

  it('notices a lost last record from the status announcement and fetches it', async () => {
    let dropped = false;
    const nodes = await ring(['Mail', 'FTP'], {
      Mail: {
        faults: {
          dropOutgoing: (_peer, message) => {
            if (dropped || message.t !== 'edit') return false;
            dropped = true;
            return true;
          },
        },
      },
    });
    const mail = node(nodes, 'Mail');
    const ftp = node(nodes, 'FTP');

    mail.transport.send(delFtp);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(ftp.applied).toEqual([]);
    mail.transport.announce();

    await expect.poll(() => ftp.applied.length).toBe(1);
    expect(ftp.applied[0]?.edit).toEqual(delFtp);
  });

  it('reports records the sender no longer keeps and goes on with the rest', async () => {
    let resending = false;
    const nodes = await ring(['Mail', 'FTP'], {
      Mail: { logLimit: 2, faults: { dropOutgoing: (_peer, message) => message.t === 'edit' && message.seq <= 3 && !resending } },
    });
    const mail = node(nodes, 'Mail');
    const ftp = node(nodes, 'FTP');
    for (const edit of edits.slice(0, 3)) mail.transport.send(edit);
    resending = true;

    mail.transport.send(edits[3] as SemEdit);

    await expect.poll(() => ftp.applied.length).toBe(2);
    expect(ftp.gaps).toEqual([['Mail', 1, 2]]);
    expect(ftp.applied.map((a) => a.seq)).toEqual([3, 4]);
  });

  it('refuses a replayed record of an earlier incarnation of the sender, and accepts the restarted sender from 1', async () => {
    const nodes = await ring(['Mail', 'FTP'], { Mail: { epoch: 2_000 } });
    const ftp = node(nodes, 'FTP');
    node(nodes, 'Mail').transport.send(delFtp);
    await expect.poll(() => ftp.applied.length).toBe(1);

    await inject(ftp, encodeFrame({ t: 'edit', from: 'Mail', epoch: 1_000, seq: 2, body: 'group.file, Del, 1 Mail Mail.dat' }, KEY));
    await inject(ftp, encodeFrame({ t: 'edit', from: 'Mail', epoch: 3_000, seq: 1, body: 'problem.file, Add, FTPb FTP Mail' }, KEY));

    await expect.poll(() => ftp.applied.length).toBe(2);
    expect(ftp.refused.map((r) => r.reason)).toEqual(['stale-epoch']);
    expect(ftp.applied[1]).toEqual({ sender: 'Mail', seq: 1, edit: problem });
  });

  it('refuses a signed record that is not a valid Diff.dat record, without stalling the stream', async () => {
    const nodes = await ring(['Mail', 'FTP']);
    const ftp = node(nodes, 'FTP');
    const epoch = node(nodes, 'Mail').transport.epoch;

    await inject(ftp, encodeFrame({ t: 'edit', from: 'Mail', epoch, seq: 1, body: 'operation.file, Del, 1 Mail FTP Mail.dat' }, KEY));
    await inject(ftp, encodeFrame({ t: 'edit', from: 'Mail', epoch, seq: 2, body: 'group.file, Del, 2 FTP FTP.dat' }, KEY));

    await expect.poll(() => ftp.applied.length).toBe(1);
    expect(ftp.refused.map((r) => r.reason)).toEqual(['bad-record']);
    expect(ftp.applied[0]?.seq).toBe(2);
  });

  it('refuses and reports, without acting, signed messages meant for another server, a resend of an earlier incarnation and a status of one', async () => {
    const nodes = await ring(['Mail', 'FTP', 'Web1'], { FTP: { epoch: 5_000 } });
    const ftp = node(nodes, 'FTP');
    node(nodes, 'Mail').transport.send(delFtp);
    await expect.poll(() => ftp.applied.length).toBe(1);
    const epoch = node(nodes, 'Mail').transport.epoch;

    await inject(ftp, encodeFrame({ t: 'resend', from: 'Mail', to: 'Web1', epoch: 5_000, fromSeq: 1, toSeq: 1 }, KEY));
    await inject(ftp, encodeFrame({ t: 'resend', from: 'Mail', to: 'FTP', epoch: 4_000, fromSeq: 1, toSeq: 1 }, KEY));
    await inject(ftp, encodeFrame({ t: 'gone', from: 'Mail', to: 'Web1', epoch, fromSeq: 1, toSeq: 1 }, KEY));
    await inject(ftp, encodeFrame({ t: 'status', from: 'Mail', epoch: epoch - 1, highestSeq: 9 }, KEY));

    await expect.poll(() => ftp.refused.length).toBe(4);
    expect(ftp.refused.map((r) => [r.reason, r.detail])).toEqual([
      ['unexpected', 'a resend for Web1'],
      ['stale-epoch', 'a resend of records of epoch 4000'],
      ['unexpected', 'a gone for Web1'],
      ['stale-epoch', `status of epoch ${epoch - 1}`],
    ]);
    expect(ftp.applied).toHaveLength(1);
    expect(ftp.gaps).toEqual([]);
  });

  it('refuses a shared key shorter than 256 bits', async () => {
    await expect(
      SemTransport.open({ self: 'Mail', bindAddress: '127.0.0.1', port: 0, key: Buffer.alloc(16), peers: [], onEdit: () => undefined, onRefused: () => undefined }),
    ).rejects.toThrow(/at least 32 bytes/);
  });
});
