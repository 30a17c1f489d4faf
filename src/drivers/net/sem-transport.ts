// SEM between management servers (Sec. 3.1, Fig. 5) on the management network: each edit of a
// management file is sent as a Diff.dat record to every other management server, which applies
// it to its own copy. UDP carries the records; this module adds what UDP lacks and what the
// paper takes for granted: per-sender order, at-most-once application, recovery of lost records
// from the sender's bounded log, and authentication of every datagram with a shared key.
import type { RemoteInfo, Socket } from 'node:dgram';
import { performance } from 'node:perf_hooks';
import { type SemEdit, formatDiff, parseDiff } from '../../core/model/sem.ts';
import { isHostName, isIpv4 } from '../../core/model/validate.ts';
import { SenderInbox } from './sem-inbox.ts';
import { type SemMessage, decodeFrame, encodeFrame } from './sem-wire.ts';
import { bindUdp, closeUdp, refusal } from './udp.ts';
import type { Refusal } from './udp.ts';

export interface SemPeer {
  name: string;
  address: string;
  port: number;
}

/** SemRefusal is a datagram or record that was not acted on, and why; each is worth a log line. */
export type SemRefusal = Refusal<'bad-hmac' | 'malformed' | 'unknown-sender' | 'replay' | 'stale-epoch' | 'buffer-full' | 'bad-record'>;

export interface SemTransportOptions {
  self: string;
  bindAddress: string;
  /** port to listen on; 0 picks a free one (tests). */
  port: number;
  key: Buffer;
  peers: readonly SemPeer[];
  /** onEdit is called once per record, in each sender's order. */
  onEdit: (sender: string, seq: number, edit: SemEdit) => void;
  onRefused: (refusal: SemRefusal) => void;
  /** onGap reports records a sender could no longer resend: this replica may have missed edits. */
  onGap?: (sender: string, fromSeq: number, toSeq: number) => void;
  /** epoch numbers this incarnation; by default the start time in µs, which grows across restarts. */
  epoch?: number;
  /** logLimit is how many of its own records this server keeps for resending (default 1024). */
  logLimit?: number;
  /** statusIntervalMs is how often the highest sequence number is announced (default 1000; 0 = never). */
  statusIntervalMs?: number;
  /** faults lets tests lose chosen outgoing datagrams. */
  faults?: { dropOutgoing?: (peer: string, message: SemMessage) => boolean };
}

/** SemTransport is one management server's end of SEM. */
export class SemTransport {
  private peers = new Map<string, SemPeer>();
  private readonly inboxes = new Map<string, SenderInbox>();
  private readonly log = new Map<number, SemMessage>();
  private seq = 0;
  private timer: NodeJS.Timeout | null = null;
  readonly epoch: number;

  private constructor(
    private readonly socket: Socket,
    private readonly opts: SemTransportOptions,
  ) {
    this.epoch = opts.epoch ?? Date.now() * 1000;
    this.setPeers(opts.peers);
    socket.on('message', (frame, rinfo) => this.handle(frame, rinfo));
    const intervalMs = opts.statusIntervalMs ?? 1000;
    if (intervalMs > 0) {
      this.timer = setInterval(() => this.announce(), intervalMs);
      this.timer.unref();
    }
  }

  /** open binds the UDP socket and starts listening. */
  static async open(opts: SemTransportOptions): Promise<SemTransport> {
    if (!isHostName(opts.self)) throw new TypeError(`invalid server name ${JSON.stringify(opts.self)}`);
    if (!isIpv4(opts.bindAddress)) throw new TypeError(`invalid bind address ${JSON.stringify(opts.bindAddress)}`);
    encodeFrame({ t: 'status', from: opts.self, epoch: 1, highestSeq: 0 }, opts.key); // checks the key length
    return new SemTransport(await bindUdp(opts.bindAddress, opts.port), opts);
  }

  /** port is the UDP port this transport listens on. */
  get port(): number {
    return this.socket.address().port;
  }

  /** setPeers replaces the list of management servers (the ring changes when servers fail and return). */
  setPeers(peers: readonly SemPeer[]): void {
    const next = new Map<string, SemPeer>();
    for (const peer of peers) {
      if (!isHostName(peer.name) || !isIpv4(peer.address) || !Number.isInteger(peer.port) || peer.port < 1 || peer.port > 65535) {
        throw new TypeError(`invalid SEM peer ${JSON.stringify(peer)}`);
      }
      if (peer.name !== this.opts.self) next.set(peer.name, peer);
    }
    this.peers = next;
  }

  /** send numbers an edit, keeps it in the log for resending and sends it to every peer; it returns the sequence number. */
  send(edit: SemEdit): number {
    const body = formatDiff(edit);
    this.seq += 1;
    const message: SemMessage = { t: 'edit', from: this.opts.self, epoch: this.epoch, seq: this.seq, body };
    this.log.set(this.seq, message);
    const limit = this.opts.logLimit ?? 1024;
    for (const old of this.log.keys()) {
      if (this.log.size <= limit) break;
      this.log.delete(old);
    }
    for (const peer of this.peers.values()) this.transmit(peer, message);
    return this.seq;
  }

  /** announce tells every peer the highest sequence number sent, so that a lost last record is asked for. */
  announce(): void {
    const message: SemMessage = { t: 'status', from: this.opts.self, epoch: this.epoch, highestSeq: this.seq };
    for (const peer of this.peers.values()) this.transmit(peer, message);
  }

  close(): Promise<void> {
    if (this.timer !== null) clearInterval(this.timer);
    return closeUdp(this.socket);
  }

  private transmit(peer: SemPeer, message: SemMessage): void {
    if (this.opts.faults?.dropOutgoing?.(peer.name, message) === true) return;
    this.socket.send(encodeFrame(message, this.opts.key), peer.port, peer.address);
  }

  private refuse(reason: SemRefusal['reason'], from: string | null, rinfo: RemoteInfo, detail: string): void {
    this.opts.onRefused(refusal(reason, from, rinfo, detail));
  }

  private handle(frame: Buffer, rinfo: RemoteInfo): void {
    const decoded = decodeFrame(frame, this.opts.key);
    if (!decoded.ok) return this.refuse(decoded.reason, null, rinfo, decoded.detail);
    const message = decoded.message;
    const sender = this.peers.get(message.from);
    if (sender === undefined) return this.refuse('unknown-sender', message.from, rinfo, `${message.from} is not a management server of this ring`);
    const nowMs = performance.now();
    switch (message.t) {
      case 'edit': {
        const verdict = this.inbox(message.from).receive(message.epoch, message.seq, message.body, nowMs);
        if (verdict.refused !== null) this.refuse(verdict.refused, message.from, rinfo, `record ${message.seq} of epoch ${message.epoch}`);
        return this.act(sender, message.epoch, verdict, rinfo);
      }
      case 'status':
        return this.act(sender, message.epoch, this.inbox(message.from).status(message.epoch, message.highestSeq, nowMs), rinfo);
      case 'gone': {
        if (message.to !== this.opts.self) return;
        const inbox = this.inbox(message.from);
        const expectedBefore = inbox.expected;
        const verdict = inbox.skip(message.epoch, message.toSeq, nowMs);
        if (inbox.expected > expectedBefore) this.opts.onGap?.(message.from, expectedBefore, inbox.expected - 1);
        return this.act(sender, message.epoch, verdict, rinfo);
      }
      case 'resend':
        if (message.to === this.opts.self && message.epoch === this.epoch) this.resend(sender, message.fromSeq, message.toSeq);
        return;
    }
  }

  private act(sender: SemPeer, epoch: number, verdict: ReturnType<SenderInbox['receive']>, rinfo: RemoteInfo): void {
    for (const record of verdict.deliver) {
      let edit: SemEdit;
      try {
        edit = parseDiff(record.body, `SEM from ${sender.name}`, record.seq);
      } catch (error) {
        this.refuse('bad-record', sender.name, rinfo, (error as Error).message);
        continue;
      }
      this.opts.onEdit(sender.name, record.seq, edit);
    }
    if (verdict.request !== null) {
      const { fromSeq, toSeq } = verdict.request;
      this.transmit(sender, { t: 'resend', from: this.opts.self, to: sender.name, epoch, fromSeq, toSeq });
    }
  }

  /**
   * resend answers a resend request from the log, to the requester's configured address (never
   * to the datagram's source, so a forged source cannot turn this server into a reflector).
   * Records older than the log are reported as gone; at most logLimit records go out per request.
   */
  private resend(requester: SemPeer, fromSeq: number, toSeq: number): void {
    const last = Math.min(toSeq, this.seq);
    if (last < fromSeq) return;
    const oldestKept = this.log.keys().next().value ?? this.seq + 1;
    if (fromSeq < oldestKept) {
      const goneTo = Math.min(last, oldestKept - 1);
      this.transmit(requester, { t: 'gone', from: this.opts.self, to: requester.name, epoch: this.epoch, fromSeq, toSeq: goneTo });
    }
    for (let seq = Math.max(fromSeq, oldestKept); seq <= last; seq += 1) {
      const record = this.log.get(seq);
      if (record !== undefined) this.transmit(requester, record);
    }
  }

  private inbox(sender: string): SenderInbox {
    let inbox = this.inboxes.get(sender);
    if (inbox === undefined) {
      inbox = new SenderInbox(this.opts.logLimit ?? 1024, 200);
      this.inboxes.set(sender, inbox);
    }
    return inbox;
  }
}
