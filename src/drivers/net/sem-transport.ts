// SEM between management servers (Sec. 3.1, Fig. 5) on the management network: each edit of a
// management file is sent as a Diff.dat record to every other management server, which applies
// it to its own copy. UDP carries the records; this module adds what UDP lacks and what the
// paper takes for granted: per-sender order, at-most-once application, recovery of lost records
// from the sender's bounded log, and authentication of every datagram with a shared key. The
// hardened ring (semResync) sends each commit whole, with its stamp and version vector, in the same
// numbered stream, and asks a peer for the records it lacks (sem-asks.ts).
import type { RemoteInfo, Socket } from 'node:dgram';
import { performance } from 'node:perf_hooks';
import { type SemEdit, formatDiff, parseDiff } from '../../core/model/sem.ts';
import { isHostName, isIpv4 } from '../../core/model/validate.ts';
import type { SemAnswer, Versions } from '../../core/program/sem-ledger.ts';
import { AskBook, splitAnswer } from './sem-asks.ts';
import { NonceWindow } from './nonce-window.ts';
import type { SemWindow } from './replay-state.ts';
import { SenderInbox, type InboxVerdict } from './sem-inbox.ts';
import { checkStamp, checkVersions, fromWireAnswer, fromWireBody, toWireBody } from './sem-payload.ts';
import type { SemCommit } from './sem-payload.ts';
import { MAX_DATAGRAM_BYTES, type SemMessage, type SemOrdered, decodeFrame, encodeFrame } from './sem-wire.ts';
import { bindUdp, closeUdp, refusal } from './udp.ts';
import { WriteAhead, type Persisted } from './write-ahead.ts';
import type { Refusal } from './udp.ts';

export interface SemPeer {
  name: string;
  address: string;
  port: number;
}

/** SemRefusal is a datagram or record that was not acted on, and why; each is worth a log line. */
export type SemRefusal = Refusal<'bad-hmac' | 'malformed' | 'unknown-sender' | 'replay' | 'stale-epoch' | 'buffer-full' | 'bad-record' | 'stale' | 'unexpected' | 'too-large'>;

export interface SemTransportOptions {
  self: string;
  bindAddress: string;
  /** port to listen on; 0 picks a free one (tests). */
  port: number;
  key: Buffer;
  peers: readonly SemPeer[];
  /** onEdit is called once per record, in each sender's order. */
  onEdit: (sender: string, seq: number, edit: SemEdit) => void;
  /** onCommit is called once per whole commit (hardened ring), in each sender's order with its edits. */
  onCommit?: (sender: string, seq: number, commit: SemCommit) => void;
  /** onAsk answers a peer's version vector (the node's semAnswer), or null to stay silent. */
  onAsk?: (asker: string, versions: Versions) => SemAnswer | null;
  /** onAnswer is called once per part of an answer to an ask of this server. */
  onAnswer?: (from: string, answer: SemAnswer, askedMs: number) => void;
  onRefused: (refusal: SemRefusal) => void;
  /** onGap reports records a sender could no longer resend: this replica may have missed edits. */
  onGap?: (sender: string, fromSeq: number, toSeq: number) => void;
  /** epoch numbers this incarnation; by default the start time in µs, which grows across restarts. */
  epoch?: number;
  /** logLimit is how many of its own records this server keeps for resending (default 1024). */
  logLimit?: number;
  /** statusIntervalMs is how often the highest sequence number is announced (default 1000; 0 = never). */
  statusIntervalMs?: number;
  /** askMaxAgeMs is how old (or far ahead) an ask may be when it arrives (default 30 s; clocks kept by chrony). */
  askMaxAgeMs?: number;
  /** answerWaitMs is how long the parts of an answer are taken after the ask (default 10 s). */
  answerWaitMs?: number;
  /** nowMs is the wall clock asks are stamped with (default Date.now). */
  nowMs?: () => number;
  /**
   * window saves, before any record is applied or ask answered, each sender's epoch and next
   * sequence number and the asks answered, and restores them at start (write-ahead.ts), so that a
   * restart does not accept again what this server refused before it. Without it (tests of the
   * transport alone) the window lives in memory.
   */
  window?: Persisted<SemWindow>;
  /** faults lets tests lose chosen outgoing datagrams. */
  faults?: { dropOutgoing?: (peer: string, message: SemMessage) => boolean };
}

/** SemTransport is one management server's end of SEM. */
export class SemTransport {
  private peers = new Map<string, SemPeer>();
  private readonly inboxes = new Map<string, SenderInbox<SemOrdered>>();
  private readonly log = new Map<number, SemOrdered>();
  private seq = 0;
  private timer: NodeJS.Timeout | null = null;
  private readonly asks: AskBook;
  private readonly askWindow: NonceWindow;
  private readonly saved: WriteAhead<SemWindow>;
  private receiving = true;
  private readonly nowMs: () => number;
  readonly epoch: number;

  private constructor(
    private readonly socket: Socket,
    private readonly opts: SemTransportOptions,
  ) {
    this.epoch = opts.epoch ?? Date.now() * 1000;
    this.nowMs = opts.nowMs ?? Date.now;
    this.asks = new AskBook(opts.answerWaitMs ?? 10_000);
    const restored = opts.window?.restored ?? null;
    this.askWindow = new NonceWindow(opts.askMaxAgeMs ?? 30_000, restored?.asks);
    for (const [sender, position] of Object.entries(restored?.senders ?? {})) this.inboxes.set(sender, this.newInbox(position));
    this.saved = new WriteAhead(opts.window, () => this.windowState());
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
    return this.sendOrdered({ t: 'edit', from: this.opts.self, epoch: this.epoch, seq: this.seq + 1, body });
  }

  /**
   * sendCommit sends a commit of the hardened ring whole, as one numbered record with the core's
   * stamp and version vector, so that every peer gets one semEdits event for it. A commit too
   * large for a datagram throws a RangeError and is not numbered.
   */
  sendCommit(commit: SemCommit): number {
    const versions = checkVersions(commit.versions);
    if (versions === null) throw new TypeError(`invalid version vector ${JSON.stringify(commit.versions)}`);
    const stamp = checkStamp(commit.stamp);
    if (stamp === null) throw new TypeError(`invalid stamp ${JSON.stringify(commit.stamp)}`);
    const message: SemOrdered = { t: 'commit', from: this.opts.self, epoch: this.epoch, seq: this.seq + 1, body: toWireBody(commit.edits), stamp, versions };
    encodeFrame(message, this.opts.key); // throws before the number is taken when it does not fit
    return this.sendOrdered(message);
  }

  /**
   * ask sends a peer this replica's version vector (requestEdits); its answer comes to onAnswer.
   * It throws a TypeError for a peer that is not a management server of the ring or a bad vector.
   */
  ask(to: string, versions: Versions): void {
    const peer = this.peers.get(to);
    if (peer === undefined) throw new TypeError(`${to} is not another management server of this ring`);
    const wire = checkVersions(versions);
    if (wire === null) throw new TypeError(`invalid version vector ${JSON.stringify(versions)}`);
    const nowMs = this.nowMs();
    this.transmit(peer, { t: 'ask', from: this.opts.self, to, nonce: this.asks.issue(to, nowMs), sentMs: nowMs, versions: wire });
  }

  private sendOrdered(message: SemOrdered): number {
    this.seq = message.seq;
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

  /**
   * stopReceiving takes no more datagrams and resolves once what was accepted (its window saved)
   * has been applied or answered: the agent stops its program only after that, so that nothing
   * the saved window counts as applied is dropped.
   */
  async stopReceiving(): Promise<void> {
    this.receiving = false;
    await this.saved.idle();
  }

  async close(): Promise<void> {
    if (this.timer !== null) clearInterval(this.timer);
    await this.stopReceiving();
    return closeUdp(this.socket);
  }

  /** windowState is what a restart must not forget (replay-state.ts). */
  private windowState(): SemWindow {
    const senders: SemWindow['senders'] = {};
    for (const [sender, inbox] of this.inboxes) senders[sender] = inbox.position;
    return { senders, asks: this.askWindow.entries() };
  }

  private transmit(peer: SemPeer, message: SemMessage): void {
    if (this.opts.faults?.dropOutgoing?.(peer.name, message) === true) return;
    this.socket.send(encodeFrame(message, this.opts.key), peer.port, peer.address);
  }

  private refuse(reason: SemRefusal['reason'], from: string | null, rinfo: RemoteInfo, detail: string): void {
    this.opts.onRefused(refusal(reason, from, rinfo, detail));
  }

  private handle(frame: Buffer, rinfo: RemoteInfo): void {
    if (!this.receiving) return;
    const decoded = decodeFrame(frame, this.opts.key);
    if (!decoded.ok) return this.refuse(decoded.reason, null, rinfo, decoded.detail);
    const message = decoded.message;
    const sender = this.peers.get(message.from);
    if (sender === undefined) return this.refuse('unknown-sender', message.from, rinfo, `${message.from} is not a management server of this ring`);
    const nowMs = performance.now();
    switch (message.t) {
      case 'edit': {
        const verdict = this.inbox(message.from).receive(message.epoch, message.seq, message, nowMs);
        if (verdict.refused !== null) this.refuse(verdict.refused, message.from, rinfo, `record ${message.seq} of epoch ${message.epoch}`);
        return this.saved.after(() => this.act(sender, message.epoch, verdict, rinfo));
      }
      case 'status': {
        const verdict = this.inbox(message.from).status(message.epoch, message.highestSeq, nowMs);
        if (verdict.refused !== null) this.refuse(verdict.refused, message.from, rinfo, `status of epoch ${message.epoch}`);
        return this.saved.after(() => this.act(sender, message.epoch, verdict, rinfo));
      }
      case 'gone': {
        if (message.to !== this.opts.self) return this.misdirected(message, rinfo);
        const inbox = this.inbox(message.from);
        const expectedBefore = inbox.expected;
        const verdict = inbox.skip(message.epoch, message.toSeq, nowMs);
        const expectedAfter = inbox.expected;
        return this.saved.after(() => {
          if (expectedAfter > expectedBefore) this.opts.onGap?.(message.from, expectedBefore, expectedAfter - 1);
          this.act(sender, message.epoch, verdict, rinfo);
        });
      }
      case 'commit': {
        const verdict = this.inbox(message.from).receive(message.epoch, message.seq, message, nowMs);
        if (verdict.refused !== null) this.refuse(verdict.refused, message.from, rinfo, `record ${message.seq} of epoch ${message.epoch}`);
        return this.saved.after(() => this.act(sender, message.epoch, verdict, rinfo));
      }
      case 'resend':
        if (message.to !== this.opts.self) return this.misdirected(message, rinfo);
        // A peer that has not yet heard of this incarnation asks for the records of the last one: they are gone with it.
        if (message.epoch !== this.epoch) return this.refuse('stale-epoch', message.from, rinfo, `a resend of records of epoch ${message.epoch}`);
        return this.resend(sender, message.fromSeq, message.toSeq);
      case 'ask':
        if (message.to !== this.opts.self) return this.misdirected(message, rinfo);
        return this.answer(sender, message, rinfo);
      case 'answer':
        if (message.to !== this.opts.self) return this.misdirected(message, rinfo);
        return this.answered(sender, message, rinfo);
    }
  }

  /** misdirected refuses an authenticated message meant for another server (sent here by mistake, or replayed here). */
  private misdirected(message: Extract<SemMessage, { to: string }>, rinfo: RemoteInfo): void {
    this.refuse('unexpected', message.from, rinfo, `a ${message.t} for ${message.to}`);
  }

  /**
   * answer answers a recent ask once, from the node (onAsk), to the asker's configured address
   * (never the datagram's source). An answer that cannot be cut into datagrams is refused and said.
   */
  private answer(asker: SemPeer, ask: Extract<SemMessage, { t: 'ask' }>, rinfo: RemoteInfo): void {
    const refused = this.askWindow.admit(ask.nonce, ask.sentMs, this.nowMs());
    if (refused !== null) return this.refuse(refused, asker.name, rinfo, `ask ${ask.nonce} sent at ${ask.sentMs} ms`);
    this.saved.after(() => this.answerAdmitted(asker, ask, rinfo));
  }

  private answerAdmitted(asker: SemPeer, ask: Extract<SemMessage, { t: 'ask' }>, rinfo: RemoteInfo): void {
    const answer = this.opts.onAsk?.(asker.name, ask.versions) ?? null;
    if (answer === null) return;
    const parts = splitAnswer(this.opts.self, asker.name, ask.nonce, answer);
    if (parts === null) {
      const what = answer.snapshot !== null ? 'a snapshot of the files' : `${answer.records.length} records`;
      return this.refuse('too-large', asker.name, rinfo, `the answer (${what}) does not fit datagrams of ${MAX_DATAGRAM_BYTES} bytes`);
    }
    for (const part of parts) this.transmit(asker, part);
  }

  /** answered takes one part of an answer to an ask of this server, once, and hands it on parsed. */
  private answered(peer: SemPeer, message: Extract<SemMessage, { t: 'answer' }>, rinfo: RemoteInfo): void {
    const verdict = this.asks.take(peer.name, message.nonce, message.part, this.nowMs());
    if (typeof verdict === 'string') return this.refuse(verdict, peer.name, rinfo, `answer ${message.nonce} part ${message.part}/${message.parts}`);
    const unknown = message.records.find((r) => r.sender !== this.opts.self && !this.peers.has(r.sender));
    if (unknown !== undefined) return this.refuse('unknown-sender', peer.name, rinfo, `a record of ${unknown.sender}, not a management server of this ring`);
    let answer: SemAnswer;
    try {
      answer = fromWireAnswer(message.records, message.snapshot, `SEM answer from ${peer.name}`);
    } catch (error) {
      return this.refuse('bad-record', peer.name, rinfo, (error as Error).message);
    }
    this.opts.onAnswer?.(peer.name, answer, verdict.askedMs);
  }

  private act(sender: SemPeer, epoch: number, verdict: InboxVerdict<SemOrdered>, rinfo: RemoteInfo): void {
    for (const { seq, body: record } of verdict.deliver) {
      let edits: SemEdit[];
      try {
        edits = record.t === 'edit' ? [parseDiff(record.body, `SEM from ${sender.name}`, seq)] : fromWireBody(record.body, `SEM commit ${seq} from ${sender.name}`);
      } catch (error) {
        // A record that does not parse is refused; the stream goes on (its number is used).
        this.refuse('bad-record', sender.name, rinfo, (error as Error).message);
        continue;
      }
      if (record.t === 'edit') this.opts.onEdit(sender.name, seq, edits[0] as SemEdit);
      else this.opts.onCommit?.(sender.name, seq, { edits, stamp: record.stamp, versions: record.versions });
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

  private inbox(sender: string): SenderInbox<SemOrdered> {
    let inbox = this.inboxes.get(sender);
    if (inbox === undefined) {
      inbox = this.newInbox(null);
      this.inboxes.set(sender, inbox);
    }
    return inbox;
  }

  private newInbox(restored: readonly [number, number] | null): SenderInbox<SemOrdered> {
    return new SenderInbox<SemOrdered>(this.opts.logLimit ?? 1024, 200, restored);
  }
}
