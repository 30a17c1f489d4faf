// The protocol's settings in the paper's experiments: Table 1's setting parameters, and for the
// values the paper does not give, our assumptions with their reasons (each field's meaning is in
// src/core/model/params.ts).
import type { Params } from '../core/model/params.ts';
import { secondsToUs } from '../core/model/time.ts';

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
    loadSamplesPerStep: 1,
    maxClockOffsetUs: secondsToUs(1),
    fenceMarginUs: secondsToUs(1),
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
  loadSamplesPerStep: 'assumption: one load measurement per interval (A1, Fig. 12)',
  maxClockOffsetUs: 'assumption: hardened ring only; a clock tolerance far above what chrony keeps on a LAN',
  fenceMarginUs: 'assumption: hardened ring only; above an internal check and a VIP release',
};
