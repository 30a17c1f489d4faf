// RingNode is the management program of one server in the ring-type DBSS (Sec. 2.2(b)): it
// monitors itself internally and stamps the heartbeat file (Sec. 4.1), and at every tick runs
// one DBSS per target it manages, found by automatic connection selection and dynamic
// management extension (Sec. 4.2). The executor, files, load and ticks are ManagementProgram's.
import { Dbss } from '../dbss/dbss.ts';
import { FunctionRecovery } from '../dbss/function-recovery.ts';
import { beingHandedBack } from '../dbss/stand-in.ts';
import { RING_RECOVERY } from '../dbss/recovery-hooks.ts';
import type { HostSpec } from '../model/load.ts';
import { problemEntries, runningLineOf, separationEntries } from '../model/management-files.ts';
import { operationTargetOf, ringSuccessors } from '../model/operation.ts';
import type { Params } from '../model/params.ts';
import { nextMultipleUs, US_PER_S } from '../model/time.ts';
import { assert, unexpected } from '../program/assert.ts';
import type { TimeSlot } from '../program/time-cells.ts';
import type { Hardening } from '../program/hardening.ts';
import type { CommandResult } from '../program/commands.ts';
import type { NodeEvent, SegmentSince } from '../program/events.ts';
import { ManagementProgram } from '../program/management-program.ts';
import { okOf } from '../program/results.ts';
import { heartbeatStamp, monitoredTargets, targetsFoundFailing, type MonitorHints } from './dual-monitoring.ts';
import { claimSafeAtUs, everyVipOn, OwnVipReturn, SelfFence, takeBack, UNSYNCHRONISED_STAMP_S, vipsOf, VsHostHistory } from './fencing.ts';
import { HeartbeatTrust, stampsATime } from './heartbeat-trust.ts';
import { outsideSegment, SegmentWatch, segmentOf, separatesSelf, yielding } from './readmission.ts';
import type { SemEdit } from '../model/sem.ts';
import type { RingMechanism } from './mechanisms.ts';

export type { ExecutorState } from '../program/management-program.ts';

export class RingNode extends ManagementProgram implements MonitorHints {
  /** healthy is the result of the last internal check; an unhealthy server hands its targets to its manager. */
  healthy = true;
  /** disabled holds the mechanisms switched off for an ablation (mechanisms.ts); null for none, so the usual case reads no set. */
  private readonly disabled: ReadonlySet<RingMechanism> | null;
  private readonly dbss = new Map<string, Dbss>();
  private readonly relocations = new Set<FunctionRecovery>();
  private internalId = -1;
  private readonly trust: HeartbeatTrust;
  private readonly vsHosts: VsHostHistory;
  private readonly segmentWatch: SegmentWatch;
  /** extendedVia holds, per target, the servers that looked stale between this one and it when it was last monitored (dynamic management extension). */
  private readonly extendedVia = new Map<string, readonly string[]>();
  /** fenced is true from a failed internal check until a healthy one, not deaf, took the VIPs back (hardened ring, fencing.ts). */
  fenced = false;
  /** recheckPending is true while a poll-interval recheck is due (fenced, or a clock chrony does not trust). */
  private recheckPending = false;
  private readonly selfFence = new SelfFence(this);
  /** ownVip claims this server's own VIP once the files give it back after a take-back found a stand-in (fencing.ts). */
  private readonly ownVip = new OwnVipReturn(this, () => this.healthy && !this.fenced && !this.deaf);
  /** runningSeen, selfAt, targetLineAt and ownLineAt are where monitoring and stamping found what they read last (MonitorHints). */
  runningSeen: readonly string[] | null = null;
  selfAt = -1;
  targetLineAt = -1;
  ownLineAt = -1;

  constructor(name: string, params: Params, spec: HostSpec, vmCapacity: number, disabled: readonly RingMechanism[] = [], hardening: readonly Hardening[] = [], times?: TimeSlot) {
    super(name, params, spec, vmCapacity, hardening, times);
    this.disabled = disabled.length === 0 ? null : new Set(disabled);
    this.trust = new HeartbeatTrust(params);
    this.vsHosts = new VsHostHistory(params);
    this.segmentWatch = new SegmentWatch(params);
  }

  private isDisabled(mechanism: RingMechanism): boolean { return this.disabled !== null && this.disabled.has(mechanism); }

  /** feedsTrust: the feed's lag matters to heartbeat trust and to fencing's deadlines. */
  private get feedsTrust(): boolean {
    return this.hardened('heartbeatTrust') || this.hardened('fencing');
  }

  protected override onSemEdits(from: string, edits: readonly SemEdit[]): void {
    if (this.feedsTrust) this.trust.heard(this.nowUs, from, edits);
  }

  protected override onSemAnswer(from: string, relayed: readonly string[], askedUs: number): void {
    if (this.feedsTrust) this.trust.answered(this.nowUs, from, relayed, askedUs);
  }

  /**
   * onClockStatus: a clock found unsynchronised is checked at once and then every poll interval (fenceAfterCheck): its manager can no longer tell
   * when this server's next check falls. At once, not on a timer of that clock: one set back stands still until it catches up (the explorer's
   * vip-unique finding: the check ran 6 s late and its fence landed after its manager's claim).
   */
  protected override onClockStatus(): void {
    if (!this.clockSynchronised && this.hardened('fencing') && this.running) this.internalCheck(true);
  }

  protected override onFilesReceived(watch: readonly SegmentSince[]): void {
    if (this.hardened('readmission')) this.segmentWatch.inherit(watch);
    if (this.hardened('readmission') && this.running) for (const d of yielding(this.dbss.values())) this.endDbss(d); // separatesSelf
    this.trust.restart(this.nowUs);
    this.selfFence.filesChanged(this.nowUs);
    // A hand-back (A6) sends the files only once it moved the VIP here: none is owed any more.
    if (this.hardened('fencing')) this.ownVip.cancel();
  }

  /** segmentHandover (readmission): a server handed back takes over this one's watch (readmission.ts). */
  override segmentHandover(): SegmentSince[] | null {
    return this.hardened('readmission') && this.fitToManage ? this.segmentWatch.handover(this.dbss) : null;
  }

  /**
   * fitToManage tells whether this server may manage now: its internal check passed and, hardened, its clock is synchronised and it heard SEM
   * records within an interval. A server that hears nobody may be cut off the management network: the others cannot hear its heartbeats either,
   * so its manager extends over its targets, and two managers must not act on one target.
   */
  private get fitToManage(): boolean {
    if (!this.hardened('heartbeatTrust')) return this.healthy;
    return this.healthy && this.clockSynchronised && this.trust.feedLagUs(this.nowUs) !== Infinity;
  }

  override mayManage(): boolean {
    return this.fitToManage;
  }

  manages(target: string): boolean {
    return this.dbss.has(target);
  }

  /** managedTargets lists the targets of this program's DBSS instances, in start order. */
  managedTargets(): string[] {
    return [...this.dbss.keys()];
  }

  recoveringTargets(): string[] {
    return [...this.dbss.values()].filter((d) => d.recovering).map((d) => d.target);
  }

  failingTargets(): string[] {
    return targetsFoundFailing(this.dbss.values());
  }

  /** dbssFor returns the DBSS managing target here, if any (for checkers and tests). */
  dbssFor(target: string): Dbss | undefined {
    return this.dbss.get(target);
  }

  /** onStart runs an internal check at once and then at the half interval (Sec. 4.1). */
  protected onStart(): void {
    const { monitorIntervalUs, internalMonitorOffsetUs } = this.params;
    this.addTimer(nextMultipleUs(this.nowUs - internalMonitorOffsetUs, monitorIntervalUs) + internalMonitorOffsetUs, this, 'internal');
    this.internalCheck();
  }

  protected onStop(): void {
    for (const d of this.dbss.values()) d.stop();
    this.dbss.clear();
    this.relocations.clear();
    this.internalId = -1;
    this.fenced = false;
    this.recheckPending = false;
    this.selfFence.clear();
    this.ownVip.cancel();
    this.segmentWatch.clear();
    this.extendedVia.clear();
  }

  protected onOwnTimer(tag: string): void {
    if (tag === 'fenceRecheck') {
      this.recheckPending = false;
      return this.internalCheck(true);
    }
    assert(tag === 'internal', () => `ring program timer ${tag}`);
    const { monitorIntervalUs, internalMonitorOffsetUs } = this.params;
    this.addTimer(nextMultipleUs(this.nowUs - internalMonitorOffsetUs, monitorIntervalUs) + internalMonitorOffsetUs, this, 'internal');
    this.internalCheck();
  }

  protected onMethodEvent(event: NodeEvent): never {
    // The ring method has no events of its own: it needs no S.file, U.file or D.file.
    throw unexpected(`event for the ring method`, event);
  }

  /**
   * internalCheck is internal monitoring (Fig. 9(b)); a healthy result is stamped in the heartbeat
   * file. A recheck is one that only the hardened ring makes (fenceAfterCheck).
   */
  private internalCheck(recheck = false): void {
    // A check still under way from the half interval before (a clock set forward) is superseded.
    if (this.internalId !== -1) this.drop(this.internalId);
    if (this.hardened('fencing')) this.selfFence.checkBegan(this.nowUs, recheck);
    this.internalId = this.issue(recheck ? { type: 'probeInternal', extra: true } : { type: 'probeInternal' }, this);
  }

  protected onOwnResult(id: number, result: CommandResult): void {
    assert(id === this.internalId, () => `result for command ${id}, waiting for the internal check ${this.internalId}`);
    this.internalId = -1;
    this.healthy = okOf(result, 'internal check');
    const wasFenced = this.fenced;
    if (this.hardened('fencing')) this.fenceAfterCheck();
    // A fenced server checks every poll interval; its problem is logged once.
    if (!this.healthy) return wasFenced ? undefined : this.log({ event: 'internalProblem' });
    if (this.hardened('fencing') && this.selfFence.recheck && !wasFenced && this.clockSynchronised) return; // a recheck of an unheard stamp (fenceAfterCheck)
    // Hardened, an unsynchronised server stamps UNSYNCHRONISED_STAMP_S: its manager then extends over
    // its targets, and counts its fencing from its own time, not from a stamp of this clock (fencing.ts).
    this.stampHeartbeat(this.fitToManage ? Math.floor(this.nowUs / US_PER_S) : UNSYNCHRONISED_STAMP_S);
  }

  /**
   * fenceAfterCheck is the server's half of fencing (fencing.ts, SelfFence): a failed check gives up
   * every VIP held here, and each failed recheck fences again (a hand-back may have moved one here);
   * the first healthy check takes back what the files still give this server once the fences under
   * way are done, unless it is deaf (its files may miss a virtual server its manager made meanwhile).
   * It rechecks each poll interval while fenced, while its clock is unsynchronised (its manager cannot
   * time its half-interval checks) and while nothing heard its last stamp (stampUnheard; no stamping).
   */
  private fenceAfterCheck(): void {
    const dataOf = (s: string) => this.dataOf(s);
    if (!this.healthy && (!this.fenced || this.selfFence.refenceDue)) {
      this.selfFence.give(everyVipOn(this.files, this.name, dataOf), this.fenced);
      this.ownVip.cancel();
      this.fenced = true;
    }
    if (this.healthy && this.fenced && !this.deaf) {
      this.fenced = false;
      this.selfFence.lift();
      this.selfFence.afterFences(() => {
        const vips = vipsOf(this.files, this.name, dataOf);
        takeBack(this, vips);
        this.ownVip.tookBack(vips);
      });
    } else if (this.healthy) this.ownVip.check();
    // An unsynchronised clock that stood still through a healthy check (set back, it stands until
    // it catches up) cannot time the next one: it follows at once, so a failure is fenced within a
    // check, not within the step back, which nothing bounds. A fenced server waits (the safe side).
    if (!this.fenced && !this.clockSynchronised && this.selfFence.clockStoodStill(this.nowUs)) return this.internalCheck(true);
    if ((this.fenced || !this.clockSynchronised || this.trust.stampUnheard) && !this.recheckPending) {
      this.recheckPending = true;
      this.addTimer(this.nowUs + this.params.recoveryPollIntervalUs, this, 'fenceRecheck');
    }
  }

  /**
   * deaf tells whether this server's files may be stale: it heard no SEM record for an interval and a poll interval (cut off the management network),
   * or it knows it lacks records. Its manager may have made a virtual server for it meanwhile; a take-back then races the hand-back, which frees the
   * VIP each time it fails to reach this server (the explorer's no-stale-virtual-server finding).
   */
  private get deaf(): boolean {
    return this.trust.feedLagUs(this.nowUs) === Infinity || this.semLagging;
  }

  override claimSafeAtUs(target: string, exceptHosts: readonly string[]): number {
    if (!this.hardened('fencing')) return this.nowUs;
    const holders = this.vsHosts.possibleHolders(this.files, this.nowUs, target, exceptHosts);
    return claimSafeAtUs(this.files, this.params, this.nowUs, holders, this.trust.feedLagUs(this.nowUs));
  }

  override resumeLandsByUs(line: string): number {
    return this.hardened('fencing') ? this.vsHosts.resumeLandsByUs(line) : this.nowUs;
  }

  override handBackSettledUs(target: string): number {
    return this.hardened('fencing') ? this.vsHosts.handBackSettledUs(target) : this.nowUs;
  }

  /** monitoredNow is the list of targets this server would monitor at this moment (onMeasured's rule). */
  private monitoredNow(): string[] {
    const staleUs = this.isDisabled('dualMonitoring') ? Infinity : !this.hardened('heartbeatTrust') ? this.params.heartbeatStaleUs : this.semLagging ? Infinity : this.trust.staleUs(this.nowUs); // none trusted while records are missing
    return this.fitToManage ? monitoredTargets(this.files, this.runningServers(), this.name, this.nowUs, staleUs, this) : [];
  }

  override verifyManagement(target: string): void {
    if (this.hardened('readmission')) this.trust.failedExamination(this.nowUs, target); // runsNoProgram
    if (!this.hardened('heartbeatTrust')) return;
    const targets = this.monitoredNow();
    const at = targets.indexOf(target);
    for (const between of targets.slice(0, Math.max(0, at))) this.askForRecords(between);
  }

  /**
   * stillManages (heartbeatTrust) holds when this server still manages target by the files it now
   * holds, and no server it extended past to reach target may be managing it: one that answered its
   * last examination here (alive) and whose stamps may only be late (HeartbeatTrust.mayBeManaging)
   * keeps target until its records land or it must have stopped (the explorer's two virtual servers
   * for one target: a manager whose records were delayed by about an interval recovered it too).
   */
  override stillManages(target: string): boolean {
    if (!this.hardened('heartbeatTrust')) return true;
    const targets = this.monitoredNow();
    const at = targets.indexOf(target);
    if (at === -1) return false;
    return targets.slice(0, at).every((between) => {
      const state = this.dbss.get(between)?.state ?? 'idle';
      // Past its first examination the DBSS found the server failing (detection to recovery).
      const answered = state === 'idle' || state === 'examNetwork' || state === 'examService';
      return !(answered && stampsATime(this.files, between) && this.trust.mayBeManaging(this.nowUs, between));
    });
  }

  /** runsNoProgram (readmission, timed by heartbeatTrust): a target in the group file, no virtual server standing in, restarted unseen (HeartbeatTrust.restartedUnseen). */
  override runsNoProgram(target: string): boolean {
    if (!this.hardened('readmission') || !this.hardened('heartbeatTrust')) return false;
    if (runningLineOf(this.files, target) === undefined || problemEntries(this.files).some((p) => p.trouble === target)) return false;
    return this.trust.restartedUnseen(this.nowUs, target, this.files);
  }

  /** heardSinceTick: a peer answered a question of this tick's SEM comparison (semResync), or one asked within the poll interval before, which stood in for it (SemResync.mayAsk); or one asked at sinceUs or later. */
  override heardSinceTick(sinceUs = this.lastTickUs - this.params.recoveryPollIntervalUs): boolean {
    if (!this.hardened('heartbeatTrust') || !this.hardened('semResync')) return true;
    return this.trust.answeredAskedUs >= sinceUs;
  }

  protected override onApplied(edit: SemEdit): void {
    if ((edit.file === 'problem.file' || edit.file === 'group.file') && this.hardened('fencing')) this.vsHosts.noted(edit, this.nowUs);
    if (this.hardened('readmission') && separatesSelf(edit, this.name, this.files)) for (const d of yielding(this.dbss.values())) this.endDbss(d);
    if (edit.file === 'problem.file' || edit.file === 'group.file') {
      this.selfFence.filesChanged(this.nowUs);
      if (this.hardened('fencing')) this.ownVip.check();
    }
  }

  private stampHeartbeat(unixS: number): void {
    const stamp = heartbeatStamp(this.files, this.name, unixS, this);
    if (stamp === null) return;
    if (this.hardened('fencing')) this.trust.stamped(this.nowUs); // stampUnheard
    this.commit([stamp], null);
  }

  /**
   * onMeasured is A2 of Fig. 12: automatic connection selection ends every normally
   * monitoring DBSS whose target this server no longer manages, dynamic management extension
   * starts one for every new target, then every DBSS runs its external monitoring.
   */
  protected onMeasured(): void {
    // Hardened: a server whose last stamp said it does not manage (UNSYNCHRONISED_STAMP_S) and that
    // manages again stamps afresh first, so a manager that extended past it hears so before it
    // recovers a target beyond it (stillManages), rather than at this server's next internal check.
    if (this.hardened('heartbeatTrust') && this.fitToManage && !stampsATime(this.files, this.name)) this.stampHeartbeat(Math.floor(this.nowUs / US_PER_S));
    const targets = this.monitoredNow();
    if (!this.isDisabled('automaticConnectionSelection')) {
      for (const [target, d] of this.dbss) {
        if (d.monitoring && !targets.includes(target)) this.endDbss(d);
      }
    }
    for (const target of targets) {
      if (!this.dbss.has(target)) this.startDbss(target);
    }
    // Hardened: every server extended past looks stale; ask it for its records first, since the
    // stamps may be what this replica missed (a live server answers before any failure is confirmed).
    if (this.hardened('heartbeatTrust')) for (const stale of targets.slice(0, -1)) this.askForRecords(stale);
    if (this.hardened('readmission')) {
      // A target monitored now is reached over the stale servers before it; one no longer
      // monitored (separated meanwhile) keeps how it was reached last, less the servers separated
      // since: one handed back starts afresh and recovers nothing of before.
      const separated = new Set(separationEntries(this.files).map((e) => e.server));
      for (const [t, via] of this.extendedVia) this.extendedVia.set(t, via.filter((v) => !separated.has(v)));
      targets.forEach((t, i) => this.extendedVia.set(t, targets.slice(0, i)));
      this.adoptSegment(targets);
    }
    for (const d of [...this.dbss.values()]) d.onTick();
  }

  /**
   * adoptSegment is the ring half of readmission (readmission.ts): the separated servers before the last target this server monitors are its own
   * to manage; a recovery or watch outside them is left to their owner, and one that stayed longer than the previous manager needs to yield is taken over.
   */
  private adoptSegment(monitored: readonly string[]): void {
    const segment = segmentOf(this.files, this.name, monitored);
    for (const d of outsideSegment(this.dbss.values(), segment, this.extendedVia)) this.endDbss(d);
    for (const s of this.segmentWatch.due(segment, this.nowUs)) if (!this.dbss.has(s)) this.startDbss(s).takeOver();
  }

  private startDbss(target: string): Dbss {
    this.log({ event: 'startDbss', target, role: null });
    const d = new Dbss(this, { ...RING_RECOVERY, separated: (t) => this.onSeparated(t), ended: (x) => this.endDbss(x) }, target);
    this.dbss.set(target, d);
    return d;
  }

  private endDbss(d: Dbss): void {
    assert(this.dbss.get(d.target) === d, () => `ending a DBSS for ${d.target} that is not the one it runs`);
    this.log({ event: 'endDbss', target: d.target, role: null });
    d.stop();
    this.dbss.delete(d.target);
    this.extendedVia.delete(d.target);
  }

  /**
   * onSeparated reacts to a server this program has just judged failed (Fig. 10(d)): the failed
   * servers it was managing are taken over, and virtual servers that ran on it are made again.
   */
  private onSeparated(failed: string): void {
    if (this.isDisabled('takeOver')) return;
    const [files, next] = [this.files, operationTargetOf(this.files, this.name)];
    const separated = new Set(separationEntries(files).map((e) => e.server));
    for (const s of ringSuccessors(files, failed)) {
      if (s === next || s === this.name || !separated.has(s)) break;
      if (!this.dbss.has(s)) this.startDbss(s).takeOver();
    }
    // Hardened (fencing): a host judged failed by its service (St) is up; what ran there runs until told (waitForOld).
    const up = this.dbss.get(failed)?.problem === 'service';
    for (const d of this.dbss.values()) d.onHostFailed(failed, up);
    for (const { trouble, host } of problemEntries(files)) {
      if (host !== failed || this.dbss.has(trouble) || beingHandedBack(this, trouble)) continue;
      const relocation = new FunctionRecovery(this, trouble, () => this.relocations.delete(relocation), true);
      this.relocations.add(relocation);
      relocation.start(null, up);
    }
  }
}
