// Fencing, the hardened ring's answer to split brain (program/hardening.ts, fencing; closes the
// explorer's vip-unique finding, reports/FINDINGS.md). In the paper's method a server cut off the
// service network is taken for shut down: its manager claims its VIP on a virtual server, and when
// the partition heals two hosts answer for it. Two halves close it:
// - the server fences itself: when its internal check fails (Sec. 4.1, Fig. 9(b): the gateway or
//   its own service does not answer), it gives up every VIP it holds, its own and its virtual
//   servers' (suspended with them; a fenced host refuses resumes, takeBack resumes them), and checks
//   again every poll interval, giving them up again at each failed check
//   (SelfFence); once healthy it takes back those the files still give it (itself in the group
//   file; virtual servers the problem file records on it), but not while deaf (ring/node.ts):
//   files it held while cut off the management network may not show a virtual server standing in for it;
// - its manager claims the VIP only when the server must have fenced itself: one internal check
//   after its last healthy one (its heartbeat stamp, Sec. 4.1) plus a margin; a manager that cannot
//   trust its heartbeats (heartbeat-trust.ts) counts from now instead. A stamp lost on a management
//   link cut would make that check late, so a server that heard nothing since its last stamp went
//   out checks every poll interval (HeartbeatTrust.stampUnheard; the explorer's vip-unique 7982327f).
// What it costs: nothing at the paper's timing (the fault comes half an interval after a stamp,
// and function recovery ends later than the fence deadline); a fault just after a stamp delays the
// claim by up to about fenceMarginUs plus the stamp's one-second resolution.
import type { CommandResult, VipHolder } from '../program/commands.ts';
import type { CommandOwner, ProgramContext } from '../program/context.ts';
import { okOf } from '../program/results.ts';
import { RetriedCommand, RETRY_TRIES, retireVirtualServer } from '../program/retried-command.ts';
import { beingHandedBack } from '../dbss/stand-in.ts';
import type { TimerOwner } from '../program/timer-list.ts';
import { heartbeatUnixS, problemEntries, problemEntryOf, ringEntryOf, runningLineOf } from '../model/management-files.ts';
import type { ManagementFiles } from '../model/management-files.ts';
import type { ManagementData } from '../model/management-data.ts';
import type { Params } from '../model/params.ts';
import type { SemEdit } from '../model/sem.ts';
import { US_PER_S } from '../model/time.ts';

/**
 * UNSYNCHRONISED_STAMP_S is the heartbeat a hardened server stamps while chrony reports its clock
 * unsynchronised: it still checks itself (and fences), but neither manages nor stamps times of a
 * clock the others cannot trust. It reads as long stale, so its manager extends over its targets.
 */
export const UNSYNCHRONISED_STAMP_S = 0;

/** HeldVip is a VIP a server may hold, with the holder that answers for it there. */
export interface HeldVip {
  vip: string;
  holder: VipHolder;
}

/**
 * vipsOf lists the VIPs self may hold by the files: its own while it is in the group file and no
 * virtual server stands in for it, and those of the virtual servers the problem file records on it.
 * A hand-back (A6) puts the target back in the group file before it moves the VIP from the virtual
 * server; the problem line goes only after, so the target never takes its VIP while the virtual
 * server may still hold it (found on the lab: two MACs answered for a second after a heal).
 */
export function vipsOf(files: ManagementFiles, self: string, dataOf: (server: string) => ManagementData): HeldVip[] {
  const held: HeldVip[] = [];
  const standIn = problemEntries(files).some((p) => p.trouble === self);
  if (runningLineOf(files, self) !== undefined && !standIn) held.push({ vip: dataOf(self).vip, holder: { kind: 'real', server: self } });
  for (const p of problemEntries(files)) {
    if (p.host === self) held.push({ vip: dataOf(p.trouble).vip, holder: { kind: 'virtual', vsName: p.virtualServer, host: self } });
  }
  return held;
}

/** everyVipOn lists the VIPs self gives up when it fences: its own, whatever the files say, and its virtual servers'. */
export function everyVipOn(files: ManagementFiles, self: string, dataOf: (server: string) => ManagementData): HeldVip[] {
  const held = vipsOf(files, self, dataOf);
  if (!held.some((h) => h.holder.kind === 'real')) held.unshift({ vip: dataOf(self).vip, holder: { kind: 'real', server: self } });
  return held;
}

/**
 * SelfFence issues a server's fences (its half of fencing). A fenced server must hold no VIP, but
 * one can reach it without its doing: a hand-back (A6) whose examination found it answering in a
 * gap between two cuts of its service network (the explorer's vip-unique finding: its manager
 * then claimed the VIP again on a virtual server, and two hosts held it once the cut healed), or
 * a take-back still retrying. So a failed recheck fences again (refenceDue), and a take-back waits
 * for the fences under way, which would otherwise give up again what it takes back.
 */
export class SelfFence implements CommandOwner {
  private checkBeganUs = 0;
  /** recheck tells whether the check under way is a recheck (a poll interval after the one before). */
  recheck = false;
  private filesChangedUs = -Infinity;
  private underWay = 0;
  private takeBack: (() => void) | null = null;

  constructor(private readonly ctx: ProgramContext) {}

  /** checkBegan notes when the internal check under way began, and whether it is a recheck. */
  checkBegan(nowUs: number, recheck = false): void {
    this.checkBeganUs = nowUs;
    this.recheck = recheck;
  }

  /** clockStoodStill tells whether this clock has not moved since the check under way began (set back). */
  clockStoodStill(nowUs: number): boolean {
    return nowUs === this.checkBeganUs;
  }

  /** filesChanged notes a group- or problem-file edit or a whole set of files arriving. */
  filesChanged(nowUs: number): void {
    this.filesChangedUs = nowUs;
  }

  /**
   * refenceDue tells whether a fenced server's failed check fences again: not one that began
   * before the files last changed, since it may have failed just before a heal that a hand-back
   * (which edits the files before it moves the VIP) followed, and would take the VIP of a server
   * that is healthy again.
   */
  get refenceDue(): boolean {
    return this.checkBeganUs >= this.filesChangedUs;
  }

  /** give issues a fence of vips; a take-back still waiting is given up. */
  give(vips: HeldVip[], again = false): void {
    this.takeBack = null;
    this.underWay++;
    this.ctx.issue(again ? { type: 'fence', vips, again } : { type: 'fence', vips }, this);
  }

  onResult(): void {
    this.underWay--;
    const takeBack = this.takeBack;
    if (this.underWay > 0 || takeBack === null) return;
    this.takeBack = null;
    takeBack();
  }

  /** lift ends the fence on the host (it refuses resumes until then); a take-back waits for it as for a fence. */
  lift(): void {
    this.underWay++;
    this.ctx.issue({ type: 'fence', vips: [], lift: true }, this);
  }

  /** afterFences runs takeBack once no fence is under way. */
  afterFences(takeBack: () => void): void {
    if (this.underWay === 0) takeBack();
    else this.takeBack = takeBack;
  }

  /** clear forgets everything when the program stops (the results of its commands are dropped). */
  clear(): void {
    this.filesChangedUs = -Infinity;
    this.underWay = 0;
    this.takeBack = null;
  }
}

/**
 * takeBack takes back what a fenced server's take-back found the files give it: its own VIP, and
 * each virtual server's, resumed first, since the fence suspended it with its VIP (a fenced host
 * must run no virtual server: its manager, judging it failed by its network, relocates them and,
 * the host cut off both networks, cannot tell it to suspend; the explorer's single-virtual-server:
 * Web1, fenced and cut off, ran Proxyb beside FTP's Proxyb@Login). A resume is given up once the
 * problem file no longer records the virtual server here (relocated meanwhile).
 */
export function takeBack(ctx: ProgramContext, vips: readonly HeldVip[]): void {
  for (const held of vips) {
    const set = { type: 'setVip', vip: held.vip, to: held.holder, from: null } as const;
    if (held.holder.kind === 'real') new RetriedCommand(ctx, set).start();
    else new ResumeTaken(ctx, held.holder.vsName, () => new RetriedCommand(ctx, set).start()).start();
  }
}

/**
 * ResumeTaken resumes a virtual server a fence suspended, each poll interval for a minute while this
 * host's problem line records it; then its VIP. Under heartbeatTrust and semResync it resumes only once
 * a peer answered a resync question asked since the take-back began: the answer brings any relocation's
 * Del committed before, which late records would hide (the explorer's single-virtual-server b14a1149:
 * Mail, its records 1.6 s late, resumed Loginb as Proxy's relocation to itself landed).
 */
class ResumeTaken implements CommandOwner, TimerOwner {
  private tries = 0;
  private readonly takenUs: number;

  constructor(
    private readonly ctx: ProgramContext,
    private readonly vsName: string,
    private readonly then: () => void,
  ) {
    this.takenUs = ctx.nowUs;
  }

  /** wanted tells whether the problem file still records the virtual server here, for a target not being handed back (A6 suspends it). */
  private get wanted(): string | null {
    const line = problemEntries(this.ctx.files).find((p) => p.host === this.ctx.self && p.virtualServer === this.vsName);
    return line === undefined || beingHandedBack(this.ctx, line.trouble) ? null : line.trouble;
  }

  start(): void {
    const target = this.wanted;
    if (target === null) return;
    this.tries++;
    if (!this.ctx.heardSinceTick(this.takenUs)) return this.retryLater();
    this.ctx.issue({ type: 'resumeVirtualServer', host: this.ctx.self, vsName: this.vsName, target }, this);
  }

  /**
   * onResult checks the files again once the resume landed: a manager's suspend (A5's relocation, A6's
   * hand-back) follows its file edit, so one that came while the resume ran shows here by now, and the
   * virtual server is suspended again (the explorer's fixed-ring-hardened-relocation-during-hand-back).
   */
  onResult(_id: number, result: CommandResult): void {
    if (!okOf(result, `resume ${this.vsName} taken back`)) return this.retryLater();
    if (this.wanted === null) return retireVirtualServer(this.ctx, this.ctx.self, this.vsName);
    this.then();
  }

  private retryLater(): void {
    if (this.tries < RETRY_TRIES) this.ctx.addTimer(this.ctx.nowUs + this.ctx.params.recoveryPollIntervalUs, this, 'resume');
  }

  onTimer(): void {
    this.start();
  }
}

/**
 * OwnVipReturn takes back a server's own VIP that its fence gave up while a virtual server stood in
 * for it: the take-back then found no VIP of its own in the files (vipsOf), and if the claim is given
 * up (the server answered again) and the manager dies before its hand-back (A6) moves the VIP, the
 * files look normal again and nobody moves it (the explorer's function-served and vip-back 3e03c32b:
 * Login's manager, its service stopped, was restarted mid hand-back). So while it is owed, once the
 * files give the server its VIP again and it may take it (healthy, not fenced, not deaf), it claims
 * it, when every other host that ran the stand-in lately must have fenced (claimSafeAtUs), as A6
 * would; a claim that fails (a holder still answers ARP) is tried again each poll interval.
 */
export class OwnVipReturn implements CommandOwner, TimerOwner {
  /** owed is set by a take-back that found a stand-in; a fence, a claim that landed or files a hand-back sent (A6 moved the VIP first) clear it. */
  private owed = false;
  private busy = false;

  constructor(
    private readonly ctx: ProgramContext,
    private readonly mayTake: () => boolean,
  ) {}

  /** tookBack notes what a fenced server's take-back claimed: its own VIP, or not (a stand-in). */
  tookBack(held: readonly HeldVip[]): void {
    this.owed = !held.some((h) => h.holder.kind === 'real');
  }

  /** check claims the VIP owed if the files give it and the server may take it; at once or when safe. */
  check(): void {
    if (!this.owed || this.busy || !this.mayTake()) return;
    const self = this.ctx.self;
    if (!vipsOf(this.ctx.files, self, (s) => this.ctx.dataOf(s)).some((h) => h.holder.kind === 'real')) return;
    this.busy = true;
    const safeAtUs = this.ctx.claimSafeAtUs(self, [self]);
    if (safeAtUs > this.ctx.nowUs) return this.ctx.addTimer(safeAtUs, this, 'ownVip');
    this.ctx.issue({ type: 'setVip', vip: this.ctx.dataOf(self).vip, to: { kind: 'real', server: self }, from: null }, this);
  }

  onTimer(): void {
    this.busy = false;
    this.check();
  }

  onResult(_id: number, result: CommandResult): void {
    if (okOf(result, 'own VIP back')) {
      this.busy = false;
      this.owed = false;
      return;
    }
    this.ctx.addTimer(this.ctx.nowUs + this.ctx.params.recoveryPollIntervalUs, this, 'ownVip');
  }

  /** cancel forgets the VIP owed (a fence, whose take-back decides anew; the program stopping). */
  cancel(): void {
    this.owed = false;
    this.busy = false;
    this.ctx.removeTimers(this);
    this.ctx.release(this);
  }
}

/**
 * claimSafeAtUs is when a manager may claim a VIP that each of holders might still hold: one
 * internal check after the last heartbeat stamp it knows of (a stamp is floored to whole
 * seconds), plus both clocks' tolerance, fenceMarginUs (the check and the fence themselves) and
 * the SEM lag it sees; from now when its heartbeats cannot be trusted (lagUs Infinity).
 */
export function claimSafeAtUs(files: ManagementFiles, params: Params, nowUs: number, holders: readonly string[], lagUs: number): number {
  let safeUs = nowUs;
  for (const server of holders) {
    const stampS = heartbeatUnixS(files, server);
    // Without a stamp of a trusted clock (none, unsynchronised, or a silent feed) the server's last
    // check could be any time: it fences within an interval of failing, which is before now.
    const untrusted = stampS === null || stampS === UNSYNCHRONISED_STAMP_S || lagUs === Infinity;
    // A trusted stamp is read on this clock: the stamper's next check falls up to both clocks'
    // tolerance later than it reads here.
    const checkedUs = untrusted ? nowUs : stampS * US_PER_S + US_PER_S + lagUs + 2 * params.maxClockOffsetUs;
    safeUs = Math.max(safeUs, checkedUs + params.monitorIntervalUs + params.fenceMarginUs);
  }
  return safeUs;
}

/**
 * VsHostHistory remembers which hosts ran a target's virtual server lately: a host whose problem
 * line was deleted (a relocation, a hand-back) may still hold the VIP until it has fenced itself
 * or been told, if it is cut off the service network; so a claim waits for it too.
 */
export class VsHostHistory {
  /** lastUs holds, per target, when each host was last seen holding its virtual server in the problem file. */
  private readonly lastUs = new Map<string, Map<string, number>>();
  /** addedUs holds, per problem line, when this replica last applied its Add (resumeLandsByUs). */
  private readonly addedUs = new Map<string, number>();
  /** returnedUs holds, per target, when this replica last applied a group-file or problem-file Add naming it (handBackSettledUs). */
  private readonly returnedUs = new Map<string, number>();

  constructor(private readonly params: Params) {}

  /** noted records a problem-file edit (the hosts it names held the target's virtual server until now) or a group-file Add. */
  noted(edit: SemEdit, nowUs: number): void {
    const added = edit.op === 'Del' ? null : edit.op === 'Mod' ? edit.newLine : edit.line;
    if (added !== null) {
      // The server a group-file Add returns, or the one a problem-file Add stands a virtual server in for.
      const target = edit.file === 'group.file' ? ringEntryOf(added, 'group.file').server : problemEntryOf(added).trouble;
      this.returnedUs.set(target, nowUs);
    }
    if (edit.file === 'group.file') return;
    const lines = edit.op === 'Mod' ? [edit.oldLine, edit.newLine] : [edit.line];
    if (added !== null) this.addedUs.set(added, nowUs);
    for (const line of lines) {
      const [, trouble, host] = line.split(' ');
      if (trouble === undefined || host === undefined) continue;
      let hosts = this.lastUs.get(trouble);
      if (hosts === undefined) this.lastUs.set(trouble, (hosts = new Map()));
      hosts.set(host, nowUs);
    }
  }

  /**
   * possibleHolders lists the servers that might hold target's VIP, other than the parties of the
   * claim (exceptHosts: they take or give the VIP in the claim itself): the target, the hosts the
   * problem file gives it, and those it gave it within one interval plus the fence margin and a second.
   */
  possibleHolders(files: ManagementFiles, nowUs: number, target: string, exceptHosts: readonly string[]): string[] {
    const holders = new Set<string>([target]);
    for (const p of problemEntries(files)) if (p.trouble === target) holders.add(p.host);
    const recentUs = this.params.monitorIntervalUs + this.params.fenceMarginUs + US_PER_S;
    for (const [host, atUs] of this.lastUs.get(target) ?? []) if (nowUs - atUs <= recentUs) holders.add(host);
    for (const host of exceptHosts) holders.delete(host);
    return [...holders];
  }

  /**
   * resumeLandsByUs is when a resume of the virtual server a problem line records, that the line's
   * maker may still have in flight (A5 resumes once its line is heard), must have landed: an
   * interval after the Add was applied here (Table 1: a resume and the procedure file take 1.8 s).
   * A line this replica never saw added (files sent whole) is taken as old.
   */
  resumeLandsByUs(line: string): number {
    return (this.addedUs.get(line) ?? -Infinity) + this.params.monitorIntervalUs;
  }

  /**
   * handBackSettledUs (readmission, stand-in.ts) is when a hand-back of target that another manager
   * may still have under way must have ended: its A6 group-file Add, or its failed move's re-Add of
   * the problem line, was applied here; its fence wait (an interval, both clocks' tolerance and the
   * fence margin: moveVipBackWhenSafe), then its move and a failed move's resume (an interval, as
   * resumeLandsByUs) follow.
   */
  handBackSettledUs(target: string): number {
    const { monitorIntervalUs, maxClockOffsetUs, fenceMarginUs } = this.params;
    return (this.returnedUs.get(target) ?? -Infinity) + 2 * monitorIntervalUs + 2 * maxClockOffsetUs + fenceMarginUs;
  }
}
