// A3 of Fig. 12 over the management network: a manager that must choose a host for a virtual
// server asks every management server for its predicted load (Sec. 3.3). One UDP request to each
// peer, one answer each, authenticated like SEM (HMAC-SHA256 with the shared key, checked before
// anything is parsed) but in its own domain, so that a load frame can never pass for a SEM frame.
// A request carries a fresh nonce and its send time: an answer must echo an outstanding nonce,
// and a request that is too old or seen before is refused, so a recorded frame cannot be replayed;
// the requests answered are saved before the answer goes (window), so a restart does not forget them.
import { randomBytes } from 'node:crypto';
import type { RemoteInfo, Socket } from 'node:dgram';
import type { LoadReport } from '../../core/program/commands.ts';
import { isHostName, isIpv4 } from '../../core/model/validate.ts';
import { decodeAuthFrame, encodeAuthFrame, MIN_KEY_BYTES } from './auth-frame.ts';
import type { Decoded, FrameDomain } from './auth-frame.ts';
import { NonceWindow } from './nonce-window.ts';
import type { LoadWindow } from './replay-state.ts';
import { bindUdp, closeUdp, refusal } from './udp.ts';
import type { Refusal } from './udp.ts';
import { WriteAhead, type Persisted } from './write-ahead.ts';

const MAX_FRAME_BYTES = 4096;

type LoadMessage =
  | { t: 'loadReq'; from: string; to: string; nonce: string; sentMs: number }
  | { t: 'loadRep'; from: string; to: string; nonce: string; report: LoadReport | null };

export interface LoadPeer {
  name: string;
  address: string;
  port: number;
}

/** LoadRefusal is a frame that was not acted on; each is worth a log line. */
export type LoadRefusal = Refusal<'bad-hmac' | 'malformed' | 'unknown-sender' | 'replay' | 'stale' | 'unexpected'>;

export interface LoadRpcOptions {
  self: string;
  bindAddress: string;
  port: number;
  key: Buffer;
  peers: readonly LoadPeer[];
  /** report answers a request: this server's predicted load, or null before the first measurement. */
  report: () => LoadReport | null;
  onRefused: (refusal: LoadRefusal) => void;
  /** maxSkewMs is how old (or how far ahead) a request may be; the servers' clocks are kept by chrony. */
  maxSkewMs: number;
  /** window saves the requests answered before each answer and restores them at start (write-ahead.ts); without it they live in memory. */
  window?: Persisted<LoadWindow>;
  nowMs?: () => number;
}

/** LoadRpc is one management server's end of the load requests: it asks and it answers. */
export class LoadRpc {
  private readonly waiting = new Map<string, { peer: string; got: (r: LoadReport | null) => void }>();
  private readonly seen: NonceWindow;
  private readonly saved: WriteAhead<LoadWindow>;
  private receiving = true;
  private readonly peers: Map<string, LoadPeer>;
  private readonly nowMs: () => number;

  private constructor(
    private readonly socket: Socket,
    private readonly opts: LoadRpcOptions,
  ) {
    this.peers = new Map(opts.peers.filter((p) => p.name !== opts.self).map((p) => [p.name, p]));
    this.nowMs = opts.nowMs ?? Date.now;
    this.seen = new NonceWindow(opts.maxSkewMs, opts.window?.restored?.requests);
    this.saved = new WriteAhead(opts.window, () => ({ requests: this.seen.entries() }));
    socket.on('message', (frame, rinfo) => this.handle(frame, rinfo));
  }

  static async open(opts: LoadRpcOptions): Promise<LoadRpc> {
    if (!isHostName(opts.self) || !isIpv4(opts.bindAddress)) throw new TypeError('invalid load RPC self or bind address');
    if (opts.key.length < MIN_KEY_BYTES) throw new RangeError(`the shared key must be at least ${MIN_KEY_BYTES} bytes`);
    for (const p of opts.peers) if (!isHostName(p.name) || !isIpv4(p.address)) throw new TypeError(`invalid load peer ${JSON.stringify(p)}`);
    return new LoadRpc(await bindUdp(opts.bindAddress, opts.port), opts);
  }

  get port(): number {
    return this.socket.address().port;
  }

  /**
   * collect asks every peer at once and returns the answers that arrive within timeoutMs or
   * before signal aborts. A peer that is down simply does not answer (it is not a candidate host).
   */
  collect(timeoutMs: number, signal?: AbortSignal): Promise<LoadReport[]> {
    const reports: LoadReport[] = [];
    const nonces: string[] = [];
    return new Promise((resolve) => {
      let left = this.peers.size;
      const done = (): void => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        for (const n of nonces) this.waiting.delete(n);
        resolve(reports);
      };
      const timer = setTimeout(done, timeoutMs);
      signal?.addEventListener('abort', done, { once: true });
      if (left === 0) return done();
      for (const peer of this.peers.values()) {
        const nonce = randomBytes(16).toString('hex');
        nonces.push(nonce);
        this.waiting.set(nonce, {
          peer: peer.name,
          got: (report) => {
            if (report !== null) reports.push(report);
            left -= 1;
            if (left === 0) done();
          },
        });
        this.send(peer, { t: 'loadReq', from: this.opts.self, to: peer.name, nonce, sentMs: this.nowMs() });
      }
    });
  }

  /** stopReceiving takes no more datagrams and resolves once the requests admitted are answered. */
  async stopReceiving(): Promise<void> {
    this.receiving = false;
    await this.saved.idle();
  }

  async close(): Promise<void> {
    await this.stopReceiving();
    return closeUdp(this.socket);
  }

  private send(peer: LoadPeer, message: LoadMessage): void {
    this.socket.send(encodeLoadFrame(message, this.opts.key), peer.port, peer.address);
  }

  private refuse(reason: LoadRefusal['reason'], from: string | null, rinfo: RemoteInfo, detail: string): void {
    this.opts.onRefused(refusal(reason, from, rinfo, detail));
  }

  private handle(frame: Buffer, rinfo: RemoteInfo): void {
    if (!this.receiving) return;
    const decoded = decodeLoadFrame(frame, this.opts.key);
    if (!decoded.ok) return this.refuse(decoded.reason, null, rinfo, decoded.detail);
    const m = decoded.message;
    const peer = this.peers.get(m.from);
    if (peer === undefined || m.to !== this.opts.self) return this.refuse('unknown-sender', m.from, rinfo, `${m.from} to ${m.to} is not a request between management servers of this ring`);
    if (m.t === 'loadRep') {
      const waiting = this.waiting.get(m.nonce);
      if (waiting === undefined || waiting.peer !== m.from) return this.refuse('unexpected', m.from, rinfo, 'an answer to no request of ours');
      this.waiting.delete(m.nonce);
      if (m.report !== null && m.report.server !== m.from) return this.refuse('malformed', m.from, rinfo, `a report about ${m.report.server}`);
      return waiting.got(m.report);
    }
    const nowMs = this.nowMs();
    const refused = this.seen.admit(`${m.from} ${m.nonce}`, m.sentMs, nowMs);
    if (refused === 'stale') return this.refuse('stale', m.from, rinfo, `request sent ${nowMs - m.sentMs} ms ago`);
    if (refused === 'replay') return this.refuse('replay', m.from, rinfo, `nonce ${m.nonce} seen before`);
    // Answered at the peer's configured address, never the datagram's source (no reflection).
    this.saved.after(() => this.send(peer, { t: 'loadRep', from: this.opts.self, to: m.from, nonce: m.nonce, report: this.opts.report() }));
  }
}

/** LOAD_FRAMES is the load requests' frame domain (auth-frame.ts): never valid as a SEM frame. */
const LOAD_FRAMES: FrameDomain<LoadMessage> = { name: 'dbss-load-rpc-v1', maxBytes: MAX_FRAME_BYTES, check: checkLoadShape };

/** encodeLoadFrame authenticates a load message (auth-frame.ts). */
export function encodeLoadFrame(message: LoadMessage, key: Buffer): Buffer {
  return encodeAuthFrame(LOAD_FRAMES, message, key);
}

export function decodeLoadFrame(frame: Buffer, key: Buffer): Decoded<LoadMessage> {
  return decodeAuthFrame(LOAD_FRAMES, frame, key);
}

function checkLoadShape(v: unknown): LoadMessage | null {
  if (typeof v !== 'object' || v === null) return null;
  const o = v as Record<string, unknown>;
  const name = (x: unknown): x is string => typeof x === 'string' && isHostName(x);
  if (!name(o.from) || !name(o.to) || typeof o.nonce !== 'string' || !/^[0-9a-f]{32}$/.test(o.nonce)) return null;
  if (o.t === 'loadReq') {
    if (typeof o.sentMs !== 'number' || !Number.isFinite(o.sentMs)) return null;
    return { t: 'loadReq', from: o.from, to: o.to, nonce: o.nonce, sentMs: o.sentMs };
  }
  if (o.t === 'loadRep') {
    const report = o.report === null ? null : checkReport(o.report);
    if (report === undefined) return null;
    return { t: 'loadRep', from: o.from, to: o.to, nonce: o.nonce, report };
  }
  return null;
}

function checkReport(v: unknown): LoadReport | undefined {
  if (typeof v !== 'object' || v === null) return undefined;
  const r = v as Record<string, unknown>;
  const nums = (x: unknown, keys: string[]): x is Record<string, number> =>
    typeof x === 'object' && x !== null && keys.every((k) => typeof (x as Record<string, unknown>)[k] === 'number' && Number.isFinite((x as Record<string, number>)[k]) && (x as Record<string, number>)[k]! >= 0);
  if (typeof r.server !== 'string' || !isHostName(r.server)) return undefined;
  if (!nums(r.predicted, ['memKb', 'cpuIdlePct', 'netBytesPerS']) || !nums(r.spec, ['memKb', 'cores', 'ratedBytesPerS'])) return undefined;
  if (typeof r.vmCapacity !== 'number' || !Number.isInteger(r.vmCapacity) || r.vmCapacity < 0) return undefined;
  return {
    server: r.server,
    predicted: { memKb: r.predicted.memKb!, cpuIdlePct: r.predicted.cpuIdlePct!, netBytesPerS: r.predicted.netBytesPerS! },
    spec: { memKb: r.spec.memKb!, cores: r.spec.cores!, ratedBytesPerS: r.spec.ratedBytesPerS! },
    vmCapacity: r.vmCapacity,
  };
}
