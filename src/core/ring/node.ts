// RingNode is the management program of one server in the ring-type DBSS, together with the
// executor that starts and stops it (Sec. 3.2). It keeps a replica of the management files
// (SEM, Sec. 3.1), measures its load (A1), monitors itself internally (Sec. 4.1) and runs one
// DBSS per target it manages (Sec. 4.2). It is pure: handle(now, event) returns commands.
import type { CommandResult, HostCommand, LoadReport } from '../commands.ts';
import type { NodeEvent } from '../events.ts';
import type { HostSpec } from '../load.ts';
import { LoadPredictor } from '../load.ts';
import type { ManagementData } from '../management-data.ts';
import { groupEntries, heartbeatLine } from '../management-files.ts';
import type { ManagementFiles } from '../management-files.ts';
import { operationTargetOf, ringSuccessors } from '../operation.ts';
import type { Params } from '../params.ts';
import type { NodeOutput, ProtocolNode } from '../ports.ts';
import { applyEdit, cloneFiles } from '../sem.ts';
import type { SemEdit } from '../sem.ts';
import { nextMultipleUs, US_PER_S } from '../time.ts';
import { TimerList } from '../timer-list.ts';
import type { TimerOwner } from '../timer-list.ts';
import type { CommandOwner, IssuedCommand, RingContext } from './context.ts';
import { Dbss } from './dbss.ts';
import { monitoredTargets } from './dual-monitoring.ts';
import { FunctionRecovery } from './function-recovery.ts';
import { LOG } from './log-vocabulary.ts';

/** ExecutorState is Fig. 7(a): standby without files, ready with files but no flag, running. */
export type ExecutorState = 'standby' | 'ready' | 'running';

export class RingNode implements ProtocolNode, RingContext, CommandOwner, TimerOwner {
  executor: ExecutorState = 'standby';
  /** healthy is the result of the last internal check; an unhealthy server hands its targets to its manager. */
  healthy = true;
  nowUs = 0;
  private replica: ManagementFiles | null = null;
  private data = new Map<string, ManagementData>();
  private readonly dbss = new Map<string, Dbss>();
  private readonly relocations = new Set<FunctionRecovery>();
  private readonly predictor: LoadPredictor;
  private readonly timers = new TimerList();
  private readonly owners = new Map<number, CommandOwner>();
  private nextId = 1;
  private out: HostCommand[] = [];
  private loadId = -1;
  private internalId = -1;
  /** filesVersion counts changes of the group file, so the running list is recomputed only after one. */
  private filesVersion = 0;
  private runningCache: { version: number; servers: string[] } = { version: -1, servers: [] };

  constructor(
    readonly name: string,
    readonly params: Params,
    private readonly spec: HostSpec,
    private readonly vmCapacity: number,
  ) {
    this.predictor = new LoadPredictor(params.loadSamplesPerStep);
  }

  get self(): string {
    return this.name;
  }

  get files(): ManagementFiles {
    if (this.replica === null) throw new Error(`${this.name}: no management files yet`);
    return this.replica;
  }

  get running(): boolean {
    return this.executor === 'running';
  }

  /** filesSnapshot copies the replica for a transfer (A6), or null in standby. */
  filesSnapshot(): ManagementFiles | null {
    return this.replica === null ? null : cloneFiles(this.replica);
  }

  /** managementData lists the management data this program holds. */
  managementData(): ManagementData[] {
    return [...this.data.values()];
  }

  /** targets lists the targets of this program's DBSS instances, in start order. */
  targets(): string[] {
    return [...this.dbss.keys()];
  }

  manages(target: string): boolean {
    return this.dbss.has(target);
  }

  /** dbssFor returns the DBSS managing target here, if any (for checkers and tests). */
  dbssFor(target: string): Dbss | undefined {
    return this.dbss.get(target);
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
    this.out = [];
    switch (event.type) {
      case 'wake':
        for (const t of this.timers.takeDue(nowUs)) t.owner.onTimer(t.tag);
        break;
      case 'commandDone': {
        const owner = this.owners.get(event.id);
        this.owners.delete(event.id);
        owner?.onResult(event.id, event.result);
        break;
      }
      case 'semEdits':
        if (this.replica !== null) for (const e of event.edits) this.apply(e);
        break;
      case 'filesReceived':
        this.replica = cloneFiles(event.files);
        this.filesVersion++;
        this.data = new Map(event.data.map((d) => [d.hostName, d]));
        if (this.executor === 'standby') this.executor = 'ready';
        break;
      case 'flagFile':
        if (event.present && this.executor === 'ready') this.start();
        else if (!event.present && this.executor === 'running') this.stop();
        break;
    }
    return { commands: this.out, wakeAtUs: this.timers.nextAtUs() };
  }

  // RingContext ---------------------------------------------------------------------------

  dataOf(server: string): ManagementData {
    const d = this.data.get(server);
    if (d === undefined) throw new Error(`${this.name}: no management data for ${server}`);
    return d;
  }

  issue(command: IssuedCommand, owner: CommandOwner): number {
    const id = this.nextId++;
    // The command literal is ours alone; giving it its id in place saves a copy per command.
    (command as { id?: number }).id = id;
    this.out.push(command as HostCommand);
    this.owners.set(id, owner);
    return id;
  }

  log(text: string): void {
    this.out.push({ type: 'log', text });
  }

  commit(edits: readonly SemEdit[], owner: CommandOwner | null): number {
    for (const e of edits) this.apply(e);
    return this.issue({ type: 'commitEdits', edits }, owner ?? this);
  }

  addTimer(atUs: number, owner: TimerOwner, tag: string): void {
    this.timers.add(atUs, owner, tag);
  }

  removeTimers(owner: TimerOwner): void {
    this.timers.removeOwner(owner);
  }

  // The program itself ---------------------------------------------------------------------

  /** start runs the program: an internal check at once, then ticks on multiples of the interval (Sec. 3.2). */
  private start(): void {
    this.executor = 'running';
    this.log(LOG.programStart);
    const intervalUs = this.params.monitorIntervalUs;
    this.timers.add(nextMultipleUs(this.nowUs, intervalUs), this, 'tick');
    const internalAtUs = nextMultipleUs(this.nowUs - this.params.internalMonitorOffsetUs, intervalUs) + this.params.internalMonitorOffsetUs;
    this.timers.add(internalAtUs, this, 'internal');
    this.internalCheck();
  }

  private stop(): void {
    this.executor = 'ready';
    this.log(LOG.programStop);
    for (const d of this.dbss.values()) d.stop();
    this.dbss.clear();
    this.relocations.clear();
    this.timers.clear();
    this.owners.clear();
  }

  onTimer(tag: string): void {
    if (this.executor !== 'running') return;
    const intervalUs = this.params.monitorIntervalUs;
    this.timers.add(this.nowUs + intervalUs, this, tag);
    if (tag === 'tick') this.loadId = this.issue({ type: 'measureLoad' }, this);
    else this.internalCheck();
  }

  /** internalCheck is internal monitoring (Fig. 9(b)); a healthy result is stamped in the heartbeat file. */
  private internalCheck(): void {
    this.internalId = this.issue({ type: 'probeInternal' }, this);
  }

  onResult(id: number, result: CommandResult): void {
    if (id === this.loadId && result.kind === 'load') {
      this.predictor.addSample(result.sample);
      this.manageAtTick();
    } else if (id === this.internalId) {
      this.healthy = result.kind === 'done' && result.ok;
      if (this.healthy) this.stampHeartbeat();
      else this.log(LOG.internalProblem);
    }
  }

  private stampHeartbeat(): void {
    const unixS = Math.floor(this.nowUs / US_PER_S);
    const line = heartbeatLine(this.name, unixS);
    const old = this.files['heartbeat.file'].find((l) => l.split(' ')[0] === this.name);
    if (old === line) return;
    this.commit([old === undefined ? { file: 'heartbeat.file', op: 'Add', line } : { file: 'heartbeat.file', op: 'Mod', oldLine: old, newLine: line }], null);
  }

  /**
   * manageAtTick is A2 of Fig. 12: automatic connection selection ends every normally
   * monitoring DBSS whose target this server no longer manages, dynamic management extension
   * starts one for every new target, then every DBSS runs its external monitoring.
   */
  private manageAtTick(): void {
    const targets = this.healthy ? monitoredTargets(this.files, this.runningServers(), this.name, this.nowUs, this.params.heartbeatStaleUs) : [];
    for (const [target, d] of this.dbss) {
      if (d.monitoring && !targets.includes(target)) this.endDbss(d);
    }
    for (const target of targets) {
      if (!this.dbss.has(target)) this.startDbss(target);
    }
    for (const d of [...this.dbss.values()]) d.onTick();
  }

  private apply(edit: SemEdit): void {
    applyEdit(this.files, edit);
    if (edit.file === 'group.file') this.filesVersion++;
  }

  /** runningServers is the group file's servers in ring order, recomputed only after an edit. */
  private runningServers(): string[] {
    if (this.runningCache.version !== this.filesVersion) {
      this.runningCache = { version: this.filesVersion, servers: groupEntries(this.files).map((e) => e.server) };
    }
    return this.runningCache.servers;
  }

  private startDbss(target: string): Dbss {
    this.log(`${LOG.startDbss} ${target}`);
    const d = new Dbss(this, { separated: (t) => this.onSeparated(t), ended: (x) => this.endDbss(x) }, target);
    this.dbss.set(target, d);
    return d;
  }

  private endDbss(d: Dbss): void {
    if (this.dbss.get(d.target) !== d) return;
    this.log(`${LOG.endDbss} ${d.target}`);
    d.stop();
    this.dbss.delete(d.target);
  }

  /**
   * onSeparated reacts to a server this program has just judged failed (Fig. 10(d)): the failed
   * servers it was managing are taken over, and virtual servers that ran on it are made again.
   */
  private onSeparated(failed: string): void {
    const files = this.files;
    const next = operationTargetOf(files, this.name);
    const separated = new Set(files['separation.file'].map((l) => l.split(' ')[1]));
    for (const s of ringSuccessors(files, failed)) {
      if (s === next || s === this.name || !separated.has(s)) break;
      if (!this.dbss.has(s)) this.startDbss(s).takeOver();
    }
    for (const d of this.dbss.values()) d.onHostFailed(failed);
    for (const line of files['problem.file']) {
      const [, trouble, host] = line.split(' ') as [string, string, string];
      if (host !== failed || this.dbss.has(trouble)) continue;
      const relocation = new FunctionRecovery(this, trouble, () => this.relocations.delete(relocation));
      this.relocations.add(relocation);
      relocation.start(null);
    }
  }
}
