// Params holds every time, duration and threshold the protocol core uses. The defaults are the
// setting parameters of the paper's Table 1; a value the paper does not give is marked as an
// assumption with its reason. World timings (boot, resume, probe latencies) live in the
// simulator's SimParams or come from the real drivers, never from here.
import { secondsToUs } from './time.ts';

export interface Params {
  /** monitorIntervalUs is the monitoring interval; ticks fall on its multiples in UNIX time (Table 1: 10.00 s; Sec. 3.2). */
  monitorIntervalUs: number;
  /** networkExamTimeoutUs is Tnd, how long a network examination of a down target waits (Table 1: 2.00 s). */
  networkExamTimeoutUs: number;
  /** serviceExamWaitMaxUs is the maximum wait for a service examination (Table 1: 3.00 s). */
  serviceExamWaitMaxUs: number;
  /** restartWaitMaxUs is the maximum wait for a real server restart before Wake-on-LAN (Table 1: 50.00 s). */
  restartWaitMaxUs: number;
  /**
   * startWaitMaxUs is how long the background job waits for a server it started by Wake-on-LAN
   * before it writes down.file. Assumption: the paper gives no value; the same 50 s as the restart
   * wait, about 1.6 x the 31.07 s start time of Table 1.
   */
  startWaitMaxUs: number;
  /** recoveryPollIntervalUs is the cadence of the background job's restart check (Sec. 5.2: "Wait" is logged at one-second intervals). */
  recoveryPollIntervalUs: number;
  /**
   * serviceStartGraceUs: a target found with a network problem whose network answers again but
   * whose service does not, for this long, is taken as broken rather than booting, and is
   * restarted by the background job. Assumption: 30 s, about Table 1's start time (31.07 s).
   */
  serviceStartGraceUs: number;
  /**
   * recoveryProbeTimeoutUs bounds each reachability probe of the restart check. Assumption: it must
   * fit inside the one-second cadence above, so half of it.
   */
  recoveryProbeTimeoutUs: number;
  /**
   * internalMonitorOffsetUs places internal monitoring (Sec. 4.1, Fig. 9) inside the interval.
   * Assumption: the half interval, read from Fig. 4, where every heartbeat time ends in 5 on a 10 s interval.
   */
  internalMonitorOffsetUs: number;
  /**
   * heartbeatStaleUs: at a tick, a heartbeat older than this marks its server as failed for dual
   * monitoring (Sec. 4.1). Assumption: one interval, so a server that missed one internal check is
   * noticed at the next tick while a healthy one (checked half an interval ago) is not.
   */
  heartbeatStaleUs: number;
  /**
   * syncWaitMaxUs: P2P only (Sec. 2.3). A server that has measured its load waits this long for
   * the S.file before it monitors on its own clock. Assumption: half an interval, so a lost
   * S.file costs at most half an interval and never a whole one.
   */
  syncWaitMaxUs: number;
  /** loadSamplesPerStep is how many load measurements make one step of Eq. (1)-(3). Assumption: one per interval (A1 of Fig. 12 measures once per interval). */
  loadSamplesPerStep: number;
}

/** defaultParams returns Table 1's settings and the assumptions above. */
export function defaultParams(): Params {
  return {
    monitorIntervalUs: secondsToUs(10),
    networkExamTimeoutUs: secondsToUs(2),
    serviceExamWaitMaxUs: secondsToUs(3),
    restartWaitMaxUs: secondsToUs(50),
    startWaitMaxUs: secondsToUs(50),
    recoveryPollIntervalUs: secondsToUs(1),
    serviceStartGraceUs: secondsToUs(30),
    recoveryProbeTimeoutUs: secondsToUs(0.5),
    internalMonitorOffsetUs: secondsToUs(5),
    heartbeatStaleUs: secondsToUs(10),
    syncWaitMaxUs: secondsToUs(5),
    loadSamplesPerStep: 1,
  };
}

/** PARAM_SOURCES says, for each protocol parameter, where its default comes from (for reports). */
export const PARAM_SOURCES: Record<keyof Params, string> = {
  monitorIntervalUs: 'Table 1 (monitoring interval time)',
  networkExamTimeoutUs: 'Table 1 (network examination time when disconnected, Tnd)',
  serviceExamWaitMaxUs: 'Table 1 (maximum waiting time for service examination)',
  restartWaitMaxUs: 'Table 1 (maximum wait time for real server restart)',
  startWaitMaxUs: 'assumption: the paper gives none; same as the restart wait',
  recoveryPollIntervalUs: 'Sec. 5.2 ("Wait" logged at one-second intervals)',
  serviceStartGraceUs: 'assumption: about Table 1 start time (a booting server answers its network first)',
  recoveryProbeTimeoutUs: 'assumption: half the poll cadence so that polls never overlap',
  internalMonitorOffsetUs: 'assumption: half interval, from the heartbeat times of Fig. 4',
  heartbeatStaleUs: 'assumption: one monitoring interval',
  syncWaitMaxUs: 'assumption: half the monitoring interval (P2P S.file wait)',
  loadSamplesPerStep: 'assumption: one load measurement per interval (A1, Fig. 12)',
};
