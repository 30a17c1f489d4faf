// P2pHarness drives one P2pNode of the paper's ring (Mail, FTP, Web1, Web2, Proxy, Login) by hand,
// as test/core/ring/harness.ts does for the ring: it keeps the time, hands the node its files and
// flag, delivers the S.file, SEM edits, U.file / D.file and program starts of the other servers,
// collects what the node asks for and lets a test answer each command. Only the routine commands
// a healthy world always answers the same way (load measurement, file commits, the S.file
// broadcast) are answered without the test, and those a test asks to have answered with autoAnswer.
import type { CommandResult, HostCommand } from '../../../src/core/program/commands.ts';
import { groupEntries, initialFiles } from '../../../src/core/model/management-files.ts';
import type { ManagementFiles } from '../../../src/core/model/management-files.ts';
import { P2pNode } from '../../../src/core/p2p/node.ts';
import { defaultParams } from '../../../src/paper/params.ts';
import type { Params } from '../../../src/core/model/params.ts';
import type { SemEdit } from '../../../src/core/model/sem.ts';
import { nextMultipleUs, US_PER_S } from '../../../src/core/model/time.ts';
import { LOAD_SAMPLE, NodeHarness, OK } from '../node-harness.ts';
import type { Issued } from '../node-harness.ts';
import { HOST_SPEC, PAPER_DATA, PAPER_RING, START_US } from '../ring/harness.ts';

export { dataOf, FAIL, loadsFavouring, OK, PAPER_RING, ringLine, sec, separationEdits, START_US } from '../ring/harness.ts';
export type { Cmd } from '../ring/harness.ts';

export interface P2pHarnessOptions {
  params?: Partial<Params>;
  /** files replaces the initial files (default: the paper's ring). */
  files?: ManagementFiles;
}

export interface TickOptions {
  /** sync false leaves out the S.file of the first running server (it has failed, or it is late). */
  sync?: boolean;
}

export class P2pHarness extends NodeHarness<P2pNode> {
  constructor(self: string, options: P2pHarnessOptions = {}) {
    const params = { ...defaultParams(), ...options.params };
    super(self, new P2pNode(self, params, HOST_SPEC, 3), params, START_US);
    const files = options.files ?? initialFiles(PAPER_RING, START_US / US_PER_S - 5);
    this.deliver({ type: 'filesReceived', files, data: PAPER_DATA });
    this.deliver({ type: 'flagFile', present: true });
  }

  /** firstRunning is the server that broadcasts the S.file: the first of the group file (Sec. 2.3). */
  firstRunning(): string {
    return groupEntries(this.files)[0]?.server as string;
  }

  /**
   * tick moves to the next monitoring tick and returns it. Unless this node is the first running
   * server (which broadcasts it) or sync is false, the S.file of the first running server arrives
   * at the same instant, as it does on a management network that takes microseconds.
   */
  tick(options: TickOptions = {}): number {
    const tickUs = nextMultipleUs(this.nowUs, this.params.monitorIntervalUs);
    this.advanceTo(tickUs);
    const first = this.firstRunning();
    if ((options.sync ?? true) && first !== this.self) this.deliver({ type: 'syncFile', from: first });
    return tickUs;
  }

  /** peerEdits are SEM edits another management server committed (Sec. 3.1). */
  peerEdits(from: string, edits: SemEdit[]): void {
    this.deliver({ type: 'semEdits', from, edits });
  }

  /** jobResult is P1's U.file (up) or D.file (down) for target arriving here. */
  jobResult(from: string, target: string, result: 'up' | 'down'): HostCommand[] {
    return this.deliver({ type: 'jobResult', from, target, result });
  }

  /** edits lists the SEM edits the node committed, in order. */
  edits(): SemEdit[] {
    return this.committed();
  }

  protected routineResult(cmd: Issued): CommandResult | null {
    if (cmd.type === 'measureLoad') return LOAD_SAMPLE;
    if (cmd.type === 'commitEdits' || cmd.type === 'broadcastSync') return OK;
    return null;
  }
}
