// HandBack is A6 of Fig. 12 (Fig. 11, Fig. 14 from Find_up.file on): once the background job
// finds the target running again, the DBSS edits the files back (problem line gone, target back
// from the separation file into the group file), moves the VIP from the virtual server to the
// target, suspends the virtual server and sends the target the management files and the flag
// file, so that its executor starts its own management program again (Sec. 3.2).
import { groupLine, problemEntries, problemLine, separationEntries } from '../model/management-files.ts';
import type { SemEdit } from '../model/sem.ts';
import { assert, unexpected } from '../program/assert.ts';
import type { CommandResult, VipHolder } from '../program/commands.ts';
import type { CommandOwner, ProgramContext } from '../program/context.ts';
import { okOf } from '../program/results.ts';
import { retireVirtualServer } from '../program/retried-command.ts';
import type { TimerOwner } from '../program/timer-list.ts';

export type HandBackState =
  | 'awaitingRestore' // hardened ring (readmission): a failed hand-back before this one is still restoring its stand-in
  | 'returningFiles'
  | 'awaitingFence'
  | 'returningVip'
  | 'suspending'
  | 'sendingFiles'
  | 'sendingFlag'
  | 'done'
  | 'restoring' // after a failed move (hardened, readmission): resuming the stand-in, then giving it the VIP back
  | 'restoringVip';

/** VirtualHolder is a VIP holder that is a virtual server. */
export type VirtualHolder = VipHolder & { kind: 'virtual' };

/** HandBackCaller is the DBSS the hand-back reports to. */
export interface HandBackCaller {
  /** onHandedBack: the target runs its own program again; the DBSS goes back to normal monitoring. */
  onHandedBack(): void;
  /** onVipNotBack: the VIP could not be moved back (the target stopped answering meanwhile); the DBSS undoes the return. */
  onVipNotBack(back: HandBack): void;
}

export class HandBack implements CommandOwner, TimerOwner {
  state: HandBackState = 'returningFiles';
  /** returnedLine is the target's group-file line, moved back from the separation file (null if it was not separated). */
  returnedLine: string | null = null;
  /** from is the virtual server that held the VIP (null when there was none). */
  from: VirtualHolder | null = null;
  /** heldDels are the problem-file deletions committed after the suspend (hardened ring, readmission). */
  private heldDels: SemEdit[] = [];
  private awaitId = -1;
  /** releasedNothing: the failed move released (so suspended) nothing from the stand-in (hardened ring, readmission: restoreStandIn). */
  private releasedNothing = false;

  constructor(
    private readonly ctx: ProgramContext,
    readonly target: string,
    private readonly caller: HandBackCaller,
    /** after is the DBSS's last failed hand-back of the target, whose restore this one must follow (hardened ring, readmission). */
    private readonly after: HandBack | null = null,
  ) {}

  /**
   * start edits the files back (SEM, Sec. 3.1): the problem file's lines for the target go, and the target rejoins the group file.
   * Hardened (readmission): not before the restore of a failed hand-back of the target ended, asked
   * again each poll interval. The DBSS starts a new job at once after a failed move (Fig. 14), and its
   * hand-back could move the VIP and suspend the stand-in before that restore's resume lands: the
   * stand-in would run again beside the returned VIP, no hand-back left to suspend it (the explorer's
   * no-stale-virtual-server finding: Login's move failed at 117.24 s, 2 ms before its management link
   * healed, the next one landed at 118.72 s, and the first one's resume at 119.13 s on Web2).
   */
  start(): void {
    if (this.after?.restoreUnderWay === true) {
      this.state = 'awaitingRestore';
      return this.ctx.addTimer(this.ctx.nowUs + this.ctx.params.recoveryPollIntervalUs, this, 'restore');
    }
    this.state = 'returningFiles';
    const files = this.ctx.files;
    const dels: SemEdit[] = problemEntries(files)
      .filter((p) => p.trouble === this.target)
      .map((p) => ({ file: 'problem.file', op: 'Del', line: problemLine(p.virtualServer, p.trouble, p.host) }));
    // Hardened (readmission): the problem lines go only once the virtual server is suspended, so
    // that a manager failing halfway leaves a record of the server still standing in (Dbss.normal).
    if (this.ctx.hardened('readmission')) this.heldDels = dels;
    const edits: SemEdit[] = this.ctx.hardened('readmission') ? [] : dels;
    const separated = separationEntries(files).find((e) => e.server === this.target);
    if (separated !== undefined) {
      const line = groupLine(separated.no, separated.server, separated.dataFile);
      edits.push({ file: 'separation.file', op: 'Del', line }, { file: 'group.file', op: 'Add', line });
      this.returnedLine = line;
    }
    const entry = problemEntries(files).find((p) => p.trouble === this.target);
    this.from = entry === undefined ? null : { kind: 'virtual', vsName: entry.virtualServer, host: entry.host };
    this.awaitId = this.ctx.commit(edits, this);
  }

  onResult(id: number, result: CommandResult): void {
    assert(id === this.awaitId, () => `hand-back of ${this.target} in ${this.state}: result for command ${id}, waiting for ${this.awaitId}`);
    this.awaitId = -1;
    const ok = okOf(result, `hand-back of ${this.target} in ${this.state}`);
    switch (this.state) {
      case 'returningFiles':
        return this.moveVipBackWhenSafe();
      case 'returningVip':
        if (!ok) {
          this.releasedNothing = result.kind === 'done' && result.released === false;
          this.state = 'done';
          return this.caller.onVipNotBack(this);
        }
        this.ctx.log({ event: 'virtualIpBack', target: this.target, vip: this.vip });
        return this.suspendVirtualServer();
      case 'suspending':
        this.ctx.log({ event: 'suspendVirtualServer', target: this.target });
        // Hardened: a suspend the host could not be told of is retried (program/retried-command.ts).
        if (!ok && this.from !== null && this.ctx.hardened('fencing')) retireVirtualServer(this.ctx, this.from.host, this.from.vsName);
        if (this.heldDels.length > 0) this.ctx.commit(this.heldDels, null);
        return this.sendFiles();
      case 'sendingFiles':
        this.ctx.log({ event: 'sendFiles', target: this.target });
        this.state = 'sendingFlag';
        this.awaitId = this.ctx.issue({ type: 'sendFlag', to: this.target }, this);
        return;
      case 'restoring':
        this.state = 'restoringVip';
        return this.vipToStandIn();
      case 'restoringVip':
        this.state = 'done';
        return;
      case 'sendingFlag':
        this.ctx.log({ event: 'sendFlag', target: this.target });
        this.state = 'done';
        return this.caller.onHandedBack();
      case 'awaitingRestore':
      case 'awaitingFence':
      case 'done':
        throw unexpected(`result ${id} for the hand-back of ${this.target} in ${this.state}`, result);
    }
  }

  private get vip(): string {
    return this.ctx.dataOf(this.target).vip;
  }

  /**
   * moveVipBackWhenSafe moves the VIP at once, or, in the hardened ring, once every server other
   * than the target and the virtual server's host (the move takes it from that one) that might
   * still hold it must have fenced itself (ring/fencing.ts). If that host cannot be told to release,
   * the move fails unless it answers a ping (fromIpr): cut off both networks between two internal
   * checks, it neither fenced nor answers the duplicate-address check, and would hold the VIP beside
   * the target once its links heal (the explorer's vip-unique finding); a new job follows (Fig. 14).
   */
  private moveVipBackWhenSafe(): void {
    const parties = this.from === null ? [this.target] : [this.target, this.from.host];
    const safeAtUs = this.ctx.claimSafeAtUs(this.target, parties);
    if (safeAtUs <= this.ctx.nowUs) return this.moveVipBack();
    this.state = 'awaitingFence';
    this.ctx.addTimer(safeAtUs, this, 'fence');
  }

  onTimer(tag: string): void {
    if (tag === 'restore' && this.state === 'awaitingRestore') return this.start();
    assert(tag === 'fence' && this.state === 'awaitingFence', () => `hand-back of ${this.target} in ${this.state}: timer ${tag}`);
    this.moveVipBack();
  }

  /**
   * moveVipBack moves the VIP to the target. Hardened (readmission), the stand-in's host suspends
   * the virtual server in the release's step: a manager that dies between the move and the suspend
   * (the explorer's no-stale-virtual-server finding: Web1 died 0.7 s before its move landed, and no
   * manager watched Web2 for 16 s) would leave it running beside the returned VIP. Without its VIP
   * it serves nothing, so suspending it before the target has the VIP loses no service; the
   * suspend that follows (A6) confirms it, and is retried if its host cannot be told.
   */
  private moveVipBack(): void {
    this.state = 'returningVip';
    const to: VipHolder = { kind: 'real', server: this.target };
    const move = { type: 'setVip', vip: this.vip, to, from: this.from } as const;
    const sure = this.from !== null && this.ctx.hardened('fencing') ? { fromIpr: this.ctx.dataOf(this.from.host).ipr } : {};
    const suspend = this.from !== null && this.ctx.hardened('readmission') ? { suspendFrom: true as const } : {};
    this.awaitId = this.ctx.issue({ ...move, ...sure, ...suspend }, this);
  }

  /** undo undoes A6 after a failed move: the edits undone (undoEdits), the stand-in restored; it returns this hand-back, whose restore the next one follows. */
  undo(): HandBack {
    this.ctx.commit(this.undoEdits(), null);
    this.restoreStandIn();
    return this;
  }

  /**
   * restoreStandIn gives the VIP back to the virtual server after a failed move (the DBSS undoes
   * A6); hardened (readmission), the move may have suspended it, so it is resumed first.
   */
  private restoreStandIn(): void {
    if (this.from === null) return;
    if (!this.ctx.hardened('readmission')) return this.vipToStandIn();
    // Hardened: a move that released nothing took nothing from the stand-in, so there is nothing to
    // undo. Its line may be a relocation's, not yet resumed (the relocation waits for the old host):
    // a resume here would run it beside the old copy (the explorer's single-virtual-server b97b3576:
    // FTP's move from Web1b@Mail at 115.26 s failed, its resume landed at 117.21 s, Web1b@Proxy cut off).
    if (this.releasedNothing) return;
    // Hardened: only a stand-in the files still record is restored; one whose line another server
    // deleted meanwhile was replaced (a relocation off its host), and resuming it would run it
    // beside its replacement (the explorer's single-virtual-server 59303a1c).
    const { host, vsName } = this.from;
    if (!problemEntries(this.ctx.files).some((p) => p.virtualServer === vsName && p.trouble === this.target && p.host === host)) return;
    this.state = 'restoring';
    this.awaitId = this.ctx.issue({ type: 'resumeVirtualServer', host: this.from.host, vsName: this.from.vsName, target: this.target }, this);
  }

  /** restoreUnderWay tells whether this failed hand-back is still resuming its stand-in or giving it the VIP back (hardened, readmission). */
  get restoreUnderWay(): boolean {
    return this.state === 'restoring' || this.state === 'restoringVip';
  }

  /** vipToStandIn gives the VIP back to the virtual server; hardened (readmission), the restore waits for it to land. */
  private vipToStandIn(): void {
    if (this.from === null) return;
    const owner = this.state === 'restoringVip' ? this : null;
    const id = this.ctx.issue({ type: 'setVip', vip: this.vip, to: this.from, from: null }, owner);
    if (owner !== null) this.awaitId = id;
  }

  private suspendVirtualServer(): void {
    const from = this.from;
    if (from === null) return this.sendFiles();
    this.state = 'suspending';
    this.awaitId = this.ctx.issue({ type: 'suspendVirtualServer', host: from.host, vsName: from.vsName }, this);
  }

  private sendFiles(): void {
    this.state = 'sendingFiles';
    this.awaitId = this.ctx.issue({ type: 'sendFiles', to: this.target }, this);
  }

  /**
   * leftToManager (hardened ring, readmission) tells the DBSS to end rather than start a new job
   * after a failed VIP move when its server is unfit to manage (cut off the management network,
   * its check failed, its clock untrusted): its manager extends over it and adopts the separated
   * target (ring/readmission.ts), or takes it over once it separates this server; a new job would
   * restart a target that answers, in a loop while cut off, and die with the server (the explorer's
   * recovery-job-ended finding: the loop ran on after the manager had handed the target back).
   */
  get leftToManager(): boolean {
    return this.ctx.hardened('readmission') && !this.ctx.mayManage();
  }

  /** restartedUnseen (hardened ring, readmission): the target was neither separated nor stood in for (stand-in.ts runsNoProgram): nothing to undo. */
  get restartedUnseen(): boolean {
    return this.ctx.hardened('readmission') && this.returnedLine === null && this.from === null;
  }

  /** undoEdits are the edits that undo A6's file edits when the VIP could not be moved back: separated again, the virtual server recorded again. */
  undoEdits(): SemEdit[] {
    const edits: SemEdit[] = [];
    if (this.returnedLine !== null) {
      edits.push({ file: 'group.file', op: 'Del', line: this.returnedLine }, { file: 'separation.file', op: 'Add', line: this.returnedLine });
    }
    // Hardened (readmission): the problem lines' Dels were held (heldDels), so the line was never
    // deleted here; adding it again would revive it where another server deleted it meanwhile (a
    // relocation, missed by a replica that lost records): Proxy's failed hand-back of Login at
    // 234.9 s revived Loginb@Web2 beside Loginb@FTP, resumed by its next failed one (59303a1c).
    if (this.from !== null && !this.ctx.hardened('readmission')) edits.push({ file: 'problem.file', op: 'Add', line: problemLine(this.from.vsName, this.target, this.from.host) });
    return edits;
  }
}
