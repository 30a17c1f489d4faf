// RingHarness drives one RingNode of the paper's ring (Mail, FTP, Web1, Web2, Proxy, Login) by
// hand: it keeps the time, hands the node its files and flag, collects what the node asks for and
// lets a test answer each command. Only the routine commands a healthy world always answers the
// same way (load measurement, internal check, file commits) are answered without the test, and
// the commands a test asks to have answered with autoAnswer.
import type { CommandResult, HostCommand, HostCommandType, LoadReport } from '../../../src/core/commands.ts';
import type { NodeEvent } from '../../../src/core/events.ts';
import type { HostSpec } from '../../../src/core/load.ts';
import type { ManagementData } from '../../../src/core/management-data.ts';
import { heartbeatLine, initialFiles } from '../../../src/core/management-files.ts';
import type { ManagementFiles, RingEntry } from '../../../src/core/management-files.ts';
import { defaultParams } from '../../../src/core/params.ts';
import type { Params } from '../../../src/core/params.ts';
import { RingNode } from '../../../src/core/ring/node.ts';
import type { SemEdit } from '../../../src/core/sem.ts';
import { nextMultipleUs, secondsToUs, US_PER_S } from '../../../src/core/time.ts';
import { paperCluster } from '../../../src/sim/cluster.ts';

export const OK: CommandResult = { kind: 'done', ok: true };
export const FAIL: CommandResult = { kind: 'done', ok: false };
export const sec = secondsToUs;

/** START_US is when the harness starts the program: a multiple of the 10 s interval, so the first tick is 10 s later. */
export const START_US = 1_622_708_860 * US_PER_S;

export const PAPER_DATA: readonly ManagementData[] = paperCluster().map((c) => c.data);
export const PAPER_RING: readonly RingEntry[] = paperCluster().map((c) => ({
  no: c.no,
  server: c.data.hostName,
  dataFile: `${c.data.hostName}.dat`,
}));

/** dataOf is the paper's management data of server (Fig. 4). */
export function dataOf(server: string): ManagementData {
  const d = PAPER_DATA.find((x) => x.hostName === server);
  if (d === undefined) throw new Error(`no paper server ${server}`);
  return d;
}

/** ringLine is the group (or separation) line of a paper server, `2 FTP FTP.dat`. */
export function ringLine(server: string): string {
  const e = PAPER_RING.find((x) => x.server === server);
  if (e === undefined) throw new Error(`no paper server ${server}`);
  return `${e.no} ${e.server} ${e.dataFile}`;
}

/** separationEdits is the A4 edit a manager sends when it judges server failed: group file to separation file. */
export function separationEdits(server: string): SemEdit[] {
  return [
    { file: 'group.file', op: 'Del', line: ringLine(server) },
    { file: 'separation.file', op: 'Add', line: ringLine(server) },
  ];
}

/** HOST_SPEC is Table 1's host: 8,192 MB, 4 cores, 1000BASE-T. */
export const HOST_SPEC: HostSpec = { memKb: 8_388_608, cores: 4, ratedBytesPerS: 125_000_000 };

/** loadReport is one server's answer to collectLoads; only free memory varies, so more memory wins. */
export function loadReport(server: string, freeMemKb: number, vmCapacity = 3): LoadReport {
  return { server, predicted: { memKb: freeMemKb, cpuIdlePct: 200, netBytesPerS: 10_000_000 }, spec: HOST_SPEC, vmCapacity };
}

/** loadsFavouring is every paper server's report, host with 6 GB free and the others with 2 GB. */
export function loadsFavouring(host: string): LoadReport[] {
  return PAPER_RING.map((e) => loadReport(e.server, e.server === host ? 6_291_456 : 2_097_152));
}

const LOAD_SAMPLE: CommandResult = { kind: 'load', sample: { freeMemKb: 4_194_304, cpuIdlePct: 300, netBytesPerS: 1_000_000 } };

type IssuedType = Exclude<HostCommandType, 'log'>;
type Issued = Exclude<HostCommand, { type: 'log' }>;
export type Cmd<T extends IssuedType> = Extract<HostCommand, { type: T }>;

interface Rule {
  type: IssuedType;
  match: Record<string, unknown>;
  result: CommandResult;
}

function matches(cmd: Issued, type: IssuedType, match: Record<string, unknown>): boolean {
  if (cmd.type !== type) return false;
  const fields = cmd as unknown as Record<string, unknown>;
  return Object.entries(match).every(([k, v]) => JSON.stringify(fields[k]) === JSON.stringify(v));
}

export interface HarnessOptions {
  params?: Partial<Params>;
  /** files replaces the initial files (default: the paper's ring, heartbeats stamped 5 s before the start). */
  files?: ManagementFiles;
  /** flag false leaves the program ready but not started. */
  flag?: boolean;
}

export class RingHarness {
  readonly node: RingNode;
  readonly params: Params;
  nowUs = START_US;
  /** commands lists every command the node returned, log lines and answered ones included, in order. */
  readonly commands: HostCommand[] = [];
  /** log holds the node's system-log lines with the time they were written. */
  readonly log: { atUs: number; text: string }[] = [];
  /** internalOk is what the world answers the node's internal checks (Fig. 9(b)). */
  internalOk = true;
  /** silentPeers are servers whose heartbeats are not refreshed: they have failed or their internal check fails. */
  readonly silentPeers = new Set<string>();
  /** wakeAtUs is the deadline the node last asked to be woken at. */
  wakeAtUs: number | null = null;
  private readonly open = new Map<number, Issued>();
  private readonly rules: Rule[] = [];
  private nextPeerStampUs: number;

  constructor(
    readonly self: string,
    options: HarnessOptions = {},
  ) {
    this.params = { ...defaultParams(), ...options.params };
    this.node = new RingNode(self, this.params, HOST_SPEC, 3);
    const offsetUs = this.params.internalMonitorOffsetUs;
    this.nextPeerStampUs = nextMultipleUs(START_US - offsetUs, this.params.monitorIntervalUs) + offsetUs;
    const files = options.files ?? initialFiles(PAPER_RING, START_US / US_PER_S - 5);
    this.deliver({ type: 'filesReceived', files, data: PAPER_DATA });
    if (options.flag ?? true) this.deliver({ type: 'flagFile', present: true });
  }

  get files(): ManagementFiles {
    return this.node.files;
  }

  /** deliver hands the node one event at the current time and answers the routine commands it returns. */
  deliver(event: NodeEvent): HostCommand[] {
    const out = this.node.handle(this.nowUs, event);
    this.wakeAtUs = out.wakeAtUs;
    const returned = [...out.commands];
    const auto: [number, CommandResult][] = [];
    for (const c of out.commands) {
      this.commands.push(c);
      if (c.type === 'log') {
        this.log.push({ atUs: this.nowUs, text: c.text });
        continue;
      }
      const result = this.autoResult(c);
      if (result === null) this.open.set(c.id, c);
      else auto.push([c.id, result]);
    }
    for (const [id, result] of auto) returned.push(...this.deliver({ type: 'commandDone', id, result }));
    return returned;
  }

  /**
   * advanceTo moves the clock to atUs, waking the node at every deadline on the way. Half an
   * interval before each tick (where the node runs its own internal check) every peer not in
   * silentPeers stamps its heartbeat, as a healthy server's internal check does (Fig. 4, Fig. 9).
   */
  advanceTo(atUs: number): void {
    if (atUs < this.nowUs) throw new Error(`harness: cannot go back from ${this.nowUs} to ${atUs}`);
    for (;;) {
      const wakeUs = this.wakeAtUs ?? Number.POSITIVE_INFINITY;
      const nextUs = Math.min(wakeUs, this.nextPeerStampUs);
      if (nextUs > atUs) break;
      this.nowUs = Math.max(this.nowUs, nextUs);
      if (wakeUs === nextUs) {
        this.deliver({ type: 'wake' });
      } else {
        this.stampPeers(this.nextPeerStampUs);
        this.nextPeerStampUs += this.params.monitorIntervalUs;
      }
    }
    this.nowUs = atUs;
  }

  advanceBy(us: number): void {
    this.advanceTo(this.nowUs + us);
  }

  /** tick moves to the next monitoring tick (a multiple of the interval in UNIX time, Sec. 3.2) and returns it. */
  tick(): number {
    const tickUs = nextMultipleUs(this.nowUs, this.params.monitorIntervalUs);
    this.advanceTo(tickUs);
    return tickUs;
  }

  private stampPeers(stampUs: number): void {
    for (const e of PAPER_RING) {
      if (e.server === this.self || this.silentPeers.has(e.server)) continue;
      const old = this.files['heartbeat.file'].find((l) => l.startsWith(`${e.server} `));
      const line = heartbeatLine(e.server, Math.floor(stampUs / US_PER_S));
      if (old === undefined || old === line) continue;
      this.deliver({ type: 'semEdits', from: e.server, edits: [{ file: 'heartbeat.file', op: 'Mod', oldLine: old, newLine: line }] });
    }
  }

  /** openOf lists the unanswered commands of a type whose fields equal match. */
  openOf<T extends IssuedType>(type: T, match: Partial<Cmd<T>> = {}): Cmd<T>[] {
    return [...this.open.values()].filter((c) => matches(c, type, match)) as Cmd<T>[];
  }

  /** find is the one unanswered command of a type whose fields equal match; it throws unless there is exactly one. */
  find<T extends IssuedType>(type: T, match: Partial<Cmd<T>> = {}): Cmd<T> {
    const found = this.openOf(type, match);
    if (found.length !== 1) {
      const open = [...this.open.values()].map((c) => JSON.stringify(c)).join('\n  ');
      throw new Error(`expected one open ${type} ${JSON.stringify(match)}, found ${found.length}; open:\n  ${open}`);
    }
    return found[0] as Cmd<T>;
  }

  /** answer reports a command's result to the node now and returns what the node does next. */
  answer(cmd: Issued, result: CommandResult): HostCommand[] {
    if (!this.open.delete(cmd.id)) throw new Error(`command ${cmd.id} (${cmd.type}) is not open`);
    return this.deliver({ type: 'commandDone', id: cmd.id, result });
  }

  /** reply is answer(find(type, match), result). */
  reply<T extends IssuedType>(type: T, match: Partial<Cmd<T>>, result: CommandResult): HostCommand[] {
    return this.answer(this.find(type, match), result);
  }

  /**
   * autoAnswer makes the world answer every command of a type matching match at once (before the
   * routine answers above), until the returned function is called.
   */
  autoAnswer<T extends IssuedType>(type: T, match: Partial<Cmd<T>>, result: CommandResult): () => void {
    const rule: Rule = { type, match: match as Record<string, unknown>, result };
    this.rules.push(rule);
    for (const c of [...this.open.values()]) if (matches(c, type, rule.match)) this.answer(c, result);
    return () => {
      const i = this.rules.indexOf(rule);
      if (i >= 0) this.rules.splice(i, 1);
    };
  }

  /** healthyTarget makes every examination of server succeed at once. */
  healthyTarget(server: string): void {
    this.autoAnswer('probeNetwork', { target: server }, OK);
    this.autoAnswer('probeService', { target: server }, OK);
  }

  /** issued lists every command of a type the node has returned so far, answered or not. */
  issued<T extends IssuedType>(type: T, match: Partial<Cmd<T>> = {}): Cmd<T>[] {
    return this.commands.filter((c): c is Cmd<T> => c.type !== 'log' && matches(c, type, match as Record<string, unknown>));
  }

  /** edits lists the SEM edits the node committed, in order; heartbeat stamps are left out unless asked for. */
  edits(withHeartbeats = false): SemEdit[] {
    return this.issued('commitEdits')
      .flatMap((c) => c.edits)
      .filter((e) => withHeartbeats || e.file !== 'heartbeat.file');
  }

  /** logTexts are the system-log lines so far. */
  logTexts(): string[] {
    return this.log.map((l) => l.text);
  }

  /** logWords are the first word of each system-log line: the paper's vocabulary (Fig. 14). */
  logWords(): string[] {
    return this.log.map((l) => l.text.split(' ')[0] as string);
  }

  /** timeOf is when the first log line starting with word was written. */
  timeOf(word: string): number {
    const line = this.log.find((l) => l.text.split(' ')[0] === word);
    if (line === undefined) throw new Error(`no log line ${word}; log:\n  ${this.logTexts().join('\n  ')}`);
    return line.atUs;
  }

  private autoResult(cmd: Issued): CommandResult | null {
    const rule = this.rules.find((r) => matches(cmd, r.type, r.match));
    if (rule !== undefined) return rule.result;
    if (cmd.type === 'measureLoad') return LOAD_SAMPLE;
    if (cmd.type === 'probeInternal') return this.internalOk ? OK : FAIL;
    if (cmd.type === 'commitEdits') return OK;
    return null;
  }
}

/**
 * failOver runs Fig. 14's Nt path on the manager h up to the function recovery: at the next tick
 * target's network does not answer twice, the loads favour host, and the virtual server comes up
 * there with the VIP. It returns the tick at which the failure was found.
 */
export function failOver(h: RingHarness, target: string, host: string): number {
  const tickUs = h.tick();
  h.advanceBy(h.params.networkExamTimeoutUs);
  h.reply('probeNetwork', { target }, FAIL);
  h.reply('collectLoads', {}, { kind: 'loads', reports: loadsFavouring(host) });
  h.advanceBy(h.params.networkExamTimeoutUs);
  h.reply('probeNetwork', { target }, FAIL);
  h.reply('resumeVirtualServer', { host, target }, OK);
  h.reply('setVip', { vip: dataOf(target).vip }, OK);
  return tickUs;
}
