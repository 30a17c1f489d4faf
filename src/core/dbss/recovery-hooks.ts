// RecoveryHooks are the steps in which the two methods' recoveries differ (Sec. 2.2-2.3). The ring
// method goes straight on; the P2P method starts the programs of its new roles before the virtual
// server (Sec. 2.3: "S1 executes a new program that manages S3 with P1 ... a separate program that
// manages S1 with P2") and tells P2 the result with U.file or D.file before acting on it.
import type { Dbss } from './dbss.ts';
import type { JobResult } from './recovery-job.ts';

export interface RecoveryHooks {
  /** prepareFunctionRecovery runs the method's steps before the virtual server, then calls dbss.onPrepared(). */
  prepareFunctionRecovery(dbss: Dbss): void;
  /** announceResult tells the method's partners the job's result, then calls dbss.onAnnounced(result). */
  announceResult(dbss: Dbss, result: JobResult): void;
  /** cancel abandons the steps still under way for dbss: it has ended, and nothing may call it back. */
  cancel(dbss: Dbss): void;
}

/** RING_RECOVERY: the ring method has no extra steps (Sec. 2.2(b): one manager per target). */
export const RING_RECOVERY: RecoveryHooks = {
  prepareFunctionRecovery: (dbss) => dbss.onPrepared(),
  announceResult: (dbss, result) => dbss.onAnnounced(result),
  cancel: () => undefined,
};

/** DbssHooks are the management-program level reactions a DBSS triggers. */
export interface DbssHooks extends RecoveryHooks {
  /** separated is called once a target has been moved to the separation file by this DBSS (Fig. 10(d) take-over). */
  separated(target: string): void;
  /** ended is called when the DBSS has ended; the program forgets it and stops it. */
  ended(dbss: Dbss): void;
}
