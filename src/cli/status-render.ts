// renderStatus prints an agent's status snapshot (src/agent/status.ts) for a person, in the manner
// of `pcs status`: a heading, then one block each for the ring, this server's targets, the
// separated servers, the virtual servers with their VIPs, and SEM. Ages are counted from the
// snapshot's own time, so that a slow terminal does not age them.
import type { StatusSnapshot } from '../agent/status.ts';

const pad = (text: string, width: number): string => text.padEnd(width);

/** ago renders how long before the snapshot atUs was, "3.2 s ago" or "4 min ago". */
function ago(nowUs: number, atUs: number | null): string {
  if (atUs === null) return 'never';
  const s = Math.max(0, (nowUs - atUs) / 1e6);
  return s < 120 ? `${s.toFixed(1)} s ago` : s < 7200 ? `${Math.round(s / 60)} min ago` : `${Math.round(s / 3600)} h ago`;
}

/** clock renders µs since the epoch as "2026-12-03 02:41:20 UTC". */
function clock(atUs: number): string {
  return `${new Date(Math.floor(atUs / 1000)).toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** isStatusSnapshot checks the shape a script or this renderer relies on. */
export function isStatusSnapshot(value: unknown): value is StatusSnapshot {
  const v = value as Partial<StatusSnapshot> | null;
  return typeof v === 'object' && v !== null && typeof v.server === 'string' && typeof v.atUs === 'number' && Array.isArray(v.ring) && Array.isArray(v.targets) && Array.isArray(v.sem) && typeof v.program === 'object';
}

export function renderStatus(s: StatusSnapshot): string {
  const now = s.atUs;
  const p = s.program;
  const lines = [
    `dbss agent ${s.server} (pid ${s.pid}), up since ${clock(s.startedAtUs)}, hardening: ${s.hardening.length === 0 ? "none (the paper's method)" : s.hardening.join(', ')}`,
    `Program: ${p.running ? 'running' : 'not running (no flag file)'}; ${p.holdsFiles ? 'holds the management files' : 'standby: no management files yet'}; clock ${p.clockGateOpen ? 'trusted' : 'not synchronised, ticks held'}`,
    `Last tick: ${p.lastTickUs === null ? 'none yet' : `${clock(p.lastTickUs)} (${ago(now, p.lastTickUs)})`}; ${p.eventsHandled} events handled; ${p.commandsPending} commands under way`,
    '',
    `Ring (${s.ring.length} servers, ${s.separated.length} separated), in order:`,
  ];
  const width = Math.max(6, ...s.ring.map((r) => r.server.length)) + 2;
  for (const r of s.ring) {
    const manager = r.state === 'separated' ? 'separated' : r.manager === null ? 'managed by nobody' : `managed by ${r.manager}`;
    const beat = r.heartbeatUnixS === null ? 'no heartbeat' : `heartbeat ${ago(now, r.heartbeatUnixS * 1e6)}`;
    lines.push(`  ${String(r.no).padStart(2)} ${pad(r.server, width)}${pad(r.state, 11)}${pad(manager, width + 12)}${beat}${r.server === s.server ? '   <- this server' : ''}`);
  }
  lines.push('', `${s.server} manages (its DBSSs):`);
  if (s.targets.length === 0) lines.push('  nobody');
  for (const t of s.targets) {
    const state = t.managing && t.recovering ? 'managing, recovering' : t.managing ? 'managing' : 'recovering (background job)';
    lines.push(`  ${pad(t.target, width)}${pad(state, 28)}${t.last === null ? '' : `last: ${t.last.text} (${ago(now, t.last.atUs)})`}`);
  }
  lines.push('', `Separated servers: ${s.separated.length === 0 ? 'none' : s.separated.join(', ')}`);
  lines.push('', 'Virtual servers (problem.file):');
  if (s.virtualServers.length === 0) lines.push('  none');
  for (const v of s.virtualServers) lines.push(`  ${pad(v.virtualServer, width)}for ${pad(v.trouble, width)}on ${pad(v.host, width)}VIP ${v.vip ?? 'unknown'}`);
  lines.push('', 'SEM (per sender: applied version, last record heard, lag = heard but not applied):');
  if (s.sem.length === 0) lines.push('  nothing heard yet');
  for (const e of s.sem) {
    const applied = e.applied === null ? 'applied -' : `applied ${e.applied.epoch}/${e.applied.seq}`;
    const heard = e.heard === null ? 'heard -' : `heard ${e.heard.epoch === null ? '' : `${e.heard.epoch}/`}${e.heard.seq} (${ago(now, e.heard.atUs)})`;
    lines.push(`  ${pad(e.server, width)}${pad(applied, 18)}${pad(heard, 28)}lag ${e.lag ?? '-'}`);
  }
  const refused = Object.entries(s.refusals);
  lines.push('', `Refused datagrams: ${refused.length === 0 ? 'none' : refused.map(([k, n]) => `${k} ${n}`).join(', ')}`);
  return `${lines.join('\n')}\n`;
}
