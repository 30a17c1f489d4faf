// This server's view of the ring, as `dbss agent status` shows it (like `pcs status`): read from
// the running agent without changing anything. The ring, the separated servers, the virtual
// servers and the heartbeats come from the management files the program holds (Fig. 4), who
// manages whom from the operation file derived from them (operation.ts), this server's targets
// from the program's read-only getters (manages, recoveringTargets), what each DBSS last did from
// the typed log events, and the SEM state from the replica's version vector beside the last
// record heard from each sender: the difference is the lag, records heard but not yet applied.
import type { ManagementData } from '../core/model/management-data.ts';
import { groupEntries, heartbeatUnixS, problemEntries, separationEntries } from '../core/model/management-files.ts';
import { deriveOperation } from '../core/model/operation.ts';
import type { ProtocolNode } from '../core/program/ports.ts';
import type { LogSink } from './agent-log.ts';
import type { SemHeard } from './agent.ts';

/** STATUS_VERSION numbers the snapshot's shape for scripts reading `--json`. */
export const STATUS_VERSION = 1;

/** LastLine is the last system log line about a target: what its DBSS last did. */
export interface LastLine {
  atUs: number;
  event: string;
  text: string;
}

export interface StatusSnapshot {
  version: number;
  server: string;
  pid: number;
  atUs: number;
  startedAtUs: number;
  hardening: string[];
  program: { running: boolean; holdsFiles: boolean; clockGateOpen: boolean; lastTickUs: number | null; eventsHandled: number; commandsPending: number };
  /** ring is every server by No.: running (group file) or separated, and who manages it. */
  ring: { no: number; server: string; state: 'running' | 'separated'; manager: string | null; heartbeatUnixS: number | null }[];
  /** targets are this server's DBSSs: the targets it manages or still recovers, with its DBSS's last line. */
  targets: { target: string; managing: boolean; recovering: boolean; last: LastLine | null }[];
  separated: string[];
  virtualServers: { virtualServer: string; trouble: string; host: string; vip: string | null }[];
  sem: { server: string; applied: { epoch: number; seq: number } | null; heard: { epoch: number | null; seq: number; atUs: number } | null; lag: number | null }[];
  refusals: Record<string, number>;
}

/** StatusSource is the running agent as the snapshot reads it. */
export interface StatusSource {
  node: ProtocolNode;
  data: readonly ManagementData[];
  hardening: readonly string[];
  semHeard: ReadonlyMap<string, SemHeard>;
  refusals(): Record<string, number>;
  runner: { gate: boolean; lastWakeUs: number | null; handled: number; pending: number };
}

/** LastLines keeps the last system log line per target, as a log sink. */
export class LastLines {
  private readonly lines = new Map<string, LastLine>();

  readonly sink: LogSink = (record) => {
    if (record.kind === 'system' && typeof record.target === 'string') this.lines.set(record.target, { atUs: record.atUs, event: record.event ?? '', text: record.text });
  };

  of(target: string): LastLine | null {
    return this.lines.get(target) ?? null;
  }
}

/** statusSnapshot reads the agent's state now; it calls only getters. */
export function statusSnapshot(source: StatusSource, last: LastLines, info: { startedAtUs: number; nowUs: number }): StatusSnapshot {
  const { node, runner } = source;
  const files = node.filesView();
  const self = node.name;
  const running = files === null ? [] : groupEntries(files);
  const separated = files === null ? [] : separationEntries(files);
  const operation = files === null ? [] : deriveOperation(files);
  const managerOf = new Map(operation.map((o) => [o.target, o.manager]));
  const ring = [
    ...running.map((e) => ({ no: e.no, server: e.server, state: 'running' as const })),
    ...separated.map((e) => ({ no: e.no, server: e.server, state: 'separated' as const })),
  ]
    .sort((a, b) => a.no - b.no)
    .map((e) => ({ ...e, manager: managerOf.get(e.server) ?? null, heartbeatUnixS: files === null ? null : heartbeatUnixS(files, e.server) }));
  const recovering = new Set(node.recoveringTargets());
  const targets = ring
    .filter((e) => e.server !== self && (node.manages(e.server) || recovering.has(e.server)))
    .map((e) => ({ target: e.server, managing: node.manages(e.server), recovering: recovering.has(e.server), last: last.of(e.server) }));
  const vipOf = new Map(source.data.map((d) => [d.hostName, d.vip]));
  const versions = node.semVersions();
  const senders = new Set([...Object.keys(versions ?? {}), ...source.semHeard.keys()]);
  const sem = [...senders].sort().map((server) => {
    const stamp = versions?.[server];
    const applied = stamp === undefined ? null : { epoch: stamp.epoch, seq: stamp.seq };
    const h = source.semHeard.get(server);
    const heard = h === undefined ? null : { epoch: h.epoch, seq: h.seq, atUs: h.atMs * 1000 };
    // Lag is known when both count the same sender's commits in the same incarnation.
    const lag = heard !== null && applied !== null && heard.epoch === applied.epoch ? Math.max(0, heard.seq - applied.seq) : null;
    return { server, applied, heard, lag };
  });
  return {
    version: STATUS_VERSION,
    server: self,
    pid: process.pid,
    atUs: info.nowUs,
    startedAtUs: info.startedAtUs,
    hardening: [...source.hardening],
    program: { running: node.running, holdsFiles: files !== null, clockGateOpen: runner.gate, lastTickUs: runner.lastWakeUs, eventsHandled: runner.handled, commandsPending: runner.pending },
    ring,
    targets,
    separated: separated.map((e) => e.server),
    virtualServers: (files === null ? [] : problemEntries(files)).map((p) => ({ ...p, vip: vipOf.get(p.trouble) ?? null })),
    sem,
    refusals: source.refusals(),
  };
}
