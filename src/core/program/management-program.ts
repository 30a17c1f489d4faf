// ManagementProgram is what every management program of this project shares, whatever its
// method (ring or P2P): the executor that starts and stops it (Sec. 3.2, Fig. 7), its replica
// of the management files kept by SEM edits (Sec. 3.1), its load measurement and prediction
// (A1, Sec. 3.3), ticks on multiples of the monitoring interval, deadlines and the routing of
// command results. It is pure: handle(now, event) returns commands.
import type { CommandResult, HostCommand, LoadReport } from './commands.ts';
import type { NodeEvent, SegmentSince } from './events.ts';
import type { HostSpec } from '../model/load.ts';
import { LoadPredictor } from '../model/load.ts';
import { dataByHost, type ManagementData } from '../model/management-data.ts';
import { ringPosition, runningServersOf } from '../model/management-files.ts';
import type { ManagementFiles, ReplicaView } from '../model/management-files.ts';
import type { Params } from '../model/params.ts';
import { NO_COMMANDS, type NodeOutput, type ProtocolNode } from './ports.ts';
import type { CommandOwner, IssuedCommand, ProgramContext } from './context.ts';
import type { LogEvent } from './log-events.ts';
import { Replica } from './replica.ts';
import type { SemEdit } from '../model/sem.ts';
import { nextMultipleUs } from '../model/time.ts';
import { assert } from './assert.ts';
import type { Hardening } from './hardening.ts';
import { SemResync } from './sem-resync.ts';
import type { LineTime, SemAnswer, SemStamp, Versions } from './sem-ledger.ts';
import { TimerList, type TimerOwner } from './timer-list.ts';
import { ProgramClock, type TimeSlot } from './time-cells.ts';

/** ExecutorState is Fig. 7(a): standby without files, ready with files but no flag, running. */
export type ExecutorState = 'standby' | 'ready' | 'running';

export abstract class ManagementProgram extends ProgramClock implements ProtocolNode, NodeOutput, ProgramContext, CommandOwner, TimerOwner {
  executor: ExecutorState = 'standby';
  private replica: Replica | null = null;
  private data: ReadonlyMap<string, ManagementData> = new Map();
  /** lastData is the management data dataOf returned last (from data; null once data is replaced), for the name lastDataKey. */
  private lastData: ManagementData | null = null;
  private lastDataKey: string | null = null;
  dataVersion = 0;
  private readonly predictor: LoadPredictor;
  private readonly timers = new TimerList();
  private nextId = 1;
  /** commands and wakeAtUs (ProgramClock) are the output of the last handle (NodeOutput): the program is its own output, refilled each call (callers read it before the next), so an event reaches no object of its own for it. */
  commands: HostCommand[] = NO_COMMANDS;
  /** issued is the array commands are given in, the same at every event that issues one (a new array at each would be most of what a large ring allocates). */
  private readonly issued: HostCommand[] = [];
  private loadId = -1;
  private flagPresent = false;

  constructor(
    readonly name: string,
    readonly params: Params,
    private readonly spec: HostSpec,
    private readonly vmCapacity: number,
    hardening: readonly Hardening[] = [],
    times?: TimeSlot,
  ) {
    super(times);
    this.predictor = new LoadPredictor(params.loadSamplesPerStep);
    this.hardening = new Set(hardening);
    this.hardeningNone = hardening.length === 0;
  }

  /** resync keeps this replica's SEM ledger (hardened ring, semResync), from the first files on. */
  private resync: SemResync | null = null;

  /** clockSynchronised is the clock's last reported state (clockStatus events; hardened ring only). */
  clockSynchronised = true;

  /** onSemEdits lets a method see the SEM records that arrived (after they are applied). */
  protected onSemEdits(_from: string, _edits: readonly SemEdit[]): void {}

  /**
   * onSemAnswer lets a method see that a peer answered a resync question (hardened ring, semResync),
   * whose records the answer brought that this replica lacked (relayed: heard, if late), and when
   * the question was asked (askedUs).
   */
  protected onSemAnswer(_from: string, _relayed: readonly string[], _askedUs: number): void {}

  /** onFilesReceived lets a method see a whole new set of files arrive (with the sender's watch, if any). */
  protected onFilesReceived(_watch: readonly SegmentSince[]): void {}

  /** onClockStatus lets a method react to chrony's verdict on this server's clock (clockSynchronised). */
  protected onClockStatus(): void {}

  /** hardening holds the extensions of the hardened ring this program runs (hardening.ts); none for the paper's method. */
  readonly hardening: ReadonlySet<Hardening>;
  /** hardeningNone: the paper's method, told by a field of this object, not a look into the set (asked about once an event; docs/scale.md). */
  private readonly hardeningNone: boolean;

  hardened(extension: Hardening): boolean {
    return !this.hardeningNone && this.hardening.has(extension);
  }

  /** onStart runs when the executor starts the program, after the first tick is scheduled. */
  protected abstract onStart(): void;
  /** onStop drops the method's own state when the flag file goes. */
  protected abstract onStop(): void;
  /** onMeasured runs at every tick once the load is measured (A1): the method's monitoring. */
  protected abstract onMeasured(): void;
  /** onOwnTimer and onOwnResult receive the method's own deadlines and command results. */
  protected abstract onOwnTimer(tag: string): void;
  protected abstract onOwnResult(id: number, result: CommandResult): void;
  /** onMethodEvent receives the events only one method uses (S.file, U.file, ...). */
  protected abstract onMethodEvent(event: NodeEvent): void;
  abstract manages(target: string): boolean;
  abstract managedTargets(): string[];
  abstract recoveringTargets(): string[];

  get self(): string {
    return this.name;
  }

  get files(): ManagementFiles {
    if (this.replica === null) throw new Error(`${this.name}: no management files yet`);
    return this.replica.view();
  }

  get running(): boolean {
    return this.executor === 'running';
  }

  filesView(): ReplicaView | null {
    return this.replica?.view() ?? null;
  }

  replicaHandle(): Replica | null {
    return this.replica;
  }

  /** managementData lists the management data this program holds. */
  managementData(): ManagementData[] {
    return [...this.data.values()];
  }

  /** loadReport answers another server's A3 request: the predicted load, or null before the first measurement. */
  loadReport(): LoadReport | null {
    const predicted = this.predictor.predicted(this.spec);
    if (predicted === null || this.executor !== 'running') return null;
    return { server: this.name, predicted, spec: this.spec, vmCapacity: this.vmCapacity };
  }

  handle(nowUs: number, event: NodeEvent): NodeOutput {
    if (nowUs < this.nowUs) throw new Error(`${this.name}: time went back from ${this.nowUs} to ${nowUs}`);
    this.nowUs = nowUs;
    this.commands = NO_COMMANDS; // most events (SEM records) issue nothing: no array until one is issued
    switch (event.type) {
      case 'wake':
        this.nextWakeKnown = false;
        this.timers.fireDue(nowUs);
        break;
      case 'commandDone': {
        // The world answers every command exactly once (docs/architecture.md): any other answer is a bug there.
        const owner = this.takeCommand(event.id);
        assert(owner !== undefined, () => `a result for command ${event.id}, which is not under way (never issued, or answered before)`);
        owner?.onResult(event.id, event.result);
        break;
      }
      case 'semEdits':
        if (this.replica === null) break;
        if (this.resync !== null && event.stamp !== undefined) this.heardResynced(event.from, event.edits, event.stamp, event.versions);
        else for (const e of event.edits) this.apply(e);
        this.onSemEdits(event.from, event.edits);
        break;
      case 'semRecords':
        if (this.replica === null || this.resync === null) break;
        this.onSemAnswer(event.from, this.answeredResync(event.answer), event.askedUs ?? this.nowUs);
        break;
      case 'clockStatus':
        this.clockSynchronised = event.synchronised;
        if (this.replica !== null) this.onClockStatus();
        break;
      case 'filesReceived':
        // Shared files (the simulator's large rings, replica.ts) only without hardening: the hardened ring reacts to each record.
        this.replica = event.shared !== undefined && this.hardening.size === 0 ? Replica.received(event.files, event.shared) : Replica.own(event.files);
        if (this.hardened('semResync')) {
          this.resync = new SemResync(this.name, nowUs, this.params.recoveryPollIntervalUs);
          if (event.versions !== undefined) this.resync.ledger.adopt(event.versions, event.lines);
        }
        this.data = dataByHost(event.data);
        this.dataVersion++;
        this.lastData = null;
        this.lastDataKey = null;
        this.onFilesReceived(event.watch ?? []);
        if (this.executor === 'standby') this.executor = 'ready';
        // Fig. 7(a): with the files in place the executor checks for the flag, which may already be there.
        if (this.flagPresent && this.executor === 'ready') this.start();
        break;
      case 'flagFile':
        this.flagPresent = event.present;
        if (event.present && this.executor === 'ready') this.start();
        else if (!event.present && this.executor === 'running') this.stop();
        break;
      default:
        if (this.executor === 'running') this.onMethodEvent(event);
    }
    // An answer that sets no timer leaves the timer list untouched (a large ring's programs are out of the caches between two of their events).
    this.askWake(this.timers);
    return this;
  }

  // ProgramContext ---------------------------------------------------------------------------

  dataOf(server: string): ManagementData {
    // The last one read is kept beside the map, whose table a large ring keeps out of the caches: P2P's P2 monitor asks for its target's at every
    // examination (a DBSS keeps what it reads itself, ProbedTarget). The name is compared with the one asked last, a pointer comparison for a caller
    // that passes the same string each time, not with the data's hostName, which would read the data.
    if (server === this.lastDataKey) return this.lastData as ManagementData;
    const d = this.data.get(server);
    if (d === undefined) throw new Error(`${this.name}: no management data for ${server}`);
    this.lastData = d;
    this.lastDataKey = server;
    return d;
  }

  issue(command: IssuedCommand, owner: CommandOwner | null): number {
    const id = this.nextId++;
    // The command literal is ours alone; giving it its id in place saves a copy per command.
    (command as { id?: number }).id = id;
    this.emit(command as HostCommand);
    this.addCommand(id, owner);
    return id;
  }

  log(event: LogEvent): void {
    this.emit({ type: 'log', ...event });
  }

  private emit(command: HostCommand): void {
    if (this.commands === NO_COMMANDS) {
      // Emptied now if the caller left the last event's commands in it (emptyCommands); pop keeps the array's store, where setting its length may give it back.
      const issued = this.issued;
      while (issued.length > 0) issued.pop();
      this.commands = issued;
    }
    this.commands.push(command);
  }

  commit(edits: readonly SemEdit[], owner: CommandOwner | null): number {
    for (const e of edits) this.apply(e, true);
    if (this.resync === null) return this.issue({ type: 'commitEdits', edits }, owner);
    const stamp = this.resync.ledger.stampCommit(edits);
    return this.issue({ type: 'commitEdits', edits, stamp, versions: this.resync.ledger.versions() }, owner);
  }

  // SEM resynchronisation (hardened ring, sem-ledger.ts) ---------------------------------------

  /** heardResynced applies a peer's commit in order and asks it for whatever its vector shows is missing. */
  private heardResynced(from: string, edits: readonly SemEdit[], stamp: SemStamp, versions: Versions | undefined): void {
    const resync = this.resync as SemResync;
    const { apply, ask } = resync.heard(this.nowUs, from, edits, stamp, versions);
    for (const record of apply) for (const e of record.edits) this.apply(e);
    if (ask) this.issue({ type: 'requestEdits', to: from, versions: resync.ledger.versions(), askedUs: this.nowUs }, null);
  }

  /**
   * askForRecords sends a peer this replica's version vector, so that it answers with what this
   * replica lacks (hardened ring, semResync): a manager asks a server whose heartbeat looks stale
   * before it acts on that, since the stamps may be what it missed.
   */
  protected askForRecords(peer: string): void {
    const resync = this.resync;
    if (resync === null || peer === this.name || !resync.mayAsk(this.nowUs, peer)) return;
    this.issue({ type: 'requestEdits', to: peer, versions: resync.ledger.versions(), askedUs: this.nowUs }, null);
  }

  /** answeredResync takes a peer's answer and returns the other senders whose records it advanced. */
  private answeredResync(answer: SemAnswer): string[] {
    const resync = this.resync as SemResync;
    const before = resync.ledger.versions();
    const { adopt, apply } = resync.answered(answer, this.files);
    if (adopt !== null) this.replica = Replica.adopt(adopt);
    for (const record of apply) for (const e of record.edits) this.apply(e);
    const after = resync.ledger.versions();
    return Object.keys(after).filter((s) => s !== this.name && (before[s]?.epoch !== after[s]?.epoch || before[s]?.seq !== after[s]?.seq));
  }

  /** semLagging tells whether this replica knows it misses SEM records (hardened ring). */
  protected get semLagging(): boolean {
    return this.resync?.ledger.lagging ?? false;
  }

  semVersions(): Versions | null {
    return this.resync?.ledger.versions() ?? null;
  }

  semLines(): LineTime[] | null {
    return this.resync?.ledger.lines() ?? null;
  }

  segmentHandover(): SegmentSince[] | null {
    return null;
  }

  semAnswer(asker: Versions, from?: string): SemAnswer | null {
    return this.resync === null || this.replica === null ? null : this.resync.answer(asker, this.replica.view(), from);
  }

  addTimer(atUs: number, owner: TimerOwner, tag: string): void {
    this.nextWakeKnown = false;
    this.timers.add(atUs, owner, tag);
  }

  removeTimers(owner: TimerOwner): void {
    this.nextWakeKnown = false;
    this.timers.removeOwner(owner);
  }

  claimSafeAtUs(_target: string, _exceptHosts: readonly string[]): number { return this.nowUs; }
  resumeLandsByUs(_line: string): number { return this.nowUs; }
  handBackSettledUs(_target: string): number { return this.nowUs; }

  verifyManagement(_target: string): void {}

  // The paper's method: every check of the hardened ring passes (RingNode overrides them).
  stillManages(_target: string): boolean { return true; }
  heardSinceTick(_sinceUs?: number): boolean { return true; }
  mayManage(): boolean { return true; }
  runsNoProgram(_target: string): boolean { return false; }

  /** onApplied lets a method see every SEM edit applied to the replica, its own and the others'. */
  protected onApplied(_edit: SemEdit): void {}

  // The program itself ---------------------------------------------------------------------

  /** start runs the program with ticks on multiples of the interval in UNIX time (Sec. 3.2). */
  private start(): void {
    this.executor = 'running';
    this.log({ event: 'programStart' });
    this.addTimer(nextMultipleUs(this.nowUs, this.params.monitorIntervalUs), this, 'tick');
    this.onStart();
  }

  private stop(): void {
    this.executor = 'ready';
    this.log({ event: 'programStop' });
    this.onStop();
    this.nextWakeKnown = false;
    this.timers.clear();
    // Commands already sent go on in the world; their results come back to nobody (Fig. 7(a): the program is gone).
    this.release();
    this.loadId = -1;
  }

  onTimer(tag: string): void {
    assert(this.executor === 'running', () => `timer ${tag} fired while the program is ${this.executor}`);
    if (tag !== 'tick') return this.onOwnTimer(tag);
    // The next tick is the next multiple in UNIX time, so a late wake never shifts later ticks.
    this.addTimer(nextMultipleUs(this.nowUs, this.params.monitorIntervalUs), this, 'tick');
    this.lastTickUs = this.nowUs;
    // A measurement still under way from the tick before (a clock set forward) is superseded.
    if (this.loadId !== -1) this.drop(this.loadId);
    this.loadId = this.issue({ type: 'measureLoad' }, this);
    if (this.resync !== null) this.compareWithNeighbours();
  }

  /**
   * compareWithNeighbours is SEM resynchronisation's periodic half (hardened ring, semResync): at
   * every tick the replica sends its version vector to the two servers before and the two after
   * it in the group file (and to any asker seen ahead, sem-ledger.ts askBack), which answer with what
   * it lacks, before the tick's monitoring acts on the files (the load measurement takes longer than the
   * round trip): records lost while no commit showed the gap come within one interval.
   */
  private compareWithNeighbours(): void {
    for (const peer of (this.resync as SemResync).takeAskBack()) this.askForRecords(peer);
    const running = this.runningServers();
    const i = ringPosition(running, this.name);
    if (i < 0) return;
    for (const step of [1, -1, 2, -2]) {
      // In a small ring a step may come round to this server or repeat a peer: askForRecords skips both.
      this.askForRecords(running[(((i + step) % running.length) + running.length) % running.length] as string);
    }
  }

  onResult(id: number, result: CommandResult): void {
    if (id !== this.loadId) return this.onOwnResult(id, result);
    this.loadId = -1;
    // A failed measurement costs one load sample, never the tick's monitoring.
    if (result.kind === 'load') this.predictor.addSample(result.sample);
    else assert(result.kind === 'done' && !result.ok, () => `measureLoad answered ${JSON.stringify(result)}`);
    this.onMeasured();
  }

  private apply(edit: SemEdit, own = false): void {
    (this.replica as Replica).apply(edit, own);
    this.onApplied(edit);
  }

  /** runningServers is the group file's servers in ring order (shared while the file is unchanged, runningServersOf). */
  protected runningServers(): readonly string[] {
    return runningServersOf(this.files);
  }
}
