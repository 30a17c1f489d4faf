// The system log of Fig. 14 (one Nt failure of FTP, fault at 13:43:05), as reference data for
// the comparison of our system log with the paper's: each event as the event of our log
// (core/program/log-events.ts) and its time after the fault, read from docs/paper-reference.md.
import type { LogEventName } from '../core/program/log-events.ts';

export interface PaperLogEvent {
  /** event is the event of our system log that stands for the paper's line. */
  event: LogEventName;
  /** afterFaultS is the paper's time of the event minus the fault time (13:43:05.00). */
  afterFaultS: number;
  /** upToFunctionRecovery is true for the events up to the VIP on the virtual server. */
  upToFunctionRecovery: boolean;
  what: string;
}

const up = (event: LogEventName, afterFaultS: number, what: string): PaperLogEvent => ({ event, afterFaultS, upToFunctionRecovery: true, what });
const later = (event: LogEventName, afterFaultS: number, what: string): PaperLogEvent => ({ event, afterFaultS, upToFunctionRecovery: false, what });

export const FIG14_EVENTS: readonly PaperLogEvent[] = [
  up('networkProblemDetected', 7.26, 'network problem detected (13:43:12.26)'),
  up('networkProblemConfirmed', 9.34, 're-examination confirms it (13:43:14.34)'),
  up('restartCheck', 9.36, 'background job: restart check (13:43:14.36)'),
  up('createVirtualServer', 9.41, 'virtual server creation starts (13:43:14.41)'),
  up('virtualServerReady', 11.16, 'virtual server ready (13:43:16.16)'),
  up('virtualIpSet', 11.31, 'VIP set on the virtual server (13:43:16.31)'),
  later('startForcibly', 59.78, 'Wake-on-LAN after the 50 s wait (13:44:04.78)'),
  later('backgroundNormal', 88.12, 'FTP judged started normally (13:44:33.12)'),
  later('makeUpFile', 88.13, 'up.file made (13:44:33.13)'),
  later('findUpFile', 88.19, 'foreground finds up.file (13:44:33.19)'),
  later('virtualIpBack', 88.92, 'VIP moved back to FTP (13:44:33.92)'),
  later('suspendVirtualServer', 89.29, 'virtual server suspended (13:44:34.29)'),
  later('sendFiles', 89.55, 'management files sent (13:44:34.55)'),
  later('sendFlag', 90.14, 'flag file sent (13:44:35.14)'),
];

/** FIG14_CLIENT gives the client log's first failed and first successful access after the fault. */
export const FIG14_CLIENT = { firstFailAfterFaultS: 1.36, firstOkAfterFaultS: 12.9 };
