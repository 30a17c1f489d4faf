// Params holds every time, duration and threshold the protocol core uses. Each field says where its
// default comes from: the setting parameters of the paper's Table 1, or an assumption with its
// reason; the defaults themselves are the paper's (src/paper/params.ts). World timings (boot,
// resume, probe latencies) live in the simulator's SimParams or come from the real drivers.

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
  /** loadSamplesPerStep is how many load measurements make one step of Eq. (1)-(3). Assumption: one per interval (A1 of Fig. 12 measures once per interval). */
  loadSamplesPerStep: number;
  /**
   * maxClockOffsetUs (hardened ring, heartbeatTrust): the largest clock offset chrony may report
   * while the server counts as synchronised; beyond it the server does not manage (Sec. 3.2 relies
   * on synchronised ticks). Heartbeats are judged stale only beyond twice this tolerance, since
   * both clocks may be off. Assumption: 1 s, far above chrony's milliseconds on a LAN.
   */
  maxClockOffsetUs: number;
  /**
   * fenceMarginUs (hardened ring, fencing): how long after a server's missed internal check its
   * manager waits before claiming its VIP, for the server to have given it up. Assumption: 1 s,
   * above an internal check and a VIP release (0.05 s and 0.56 s in the testbed).
   */
  fenceMarginUs: number;
}
