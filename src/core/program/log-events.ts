// The system log of Sec. 5.2 as typed data (docs/architecture.md: log lines are values, not text). A
// management program emits LogEvents; metrics, checkers, charts and tests read their fields.
// Text is rendered only where a person reads it, by renderLogEvent: the simulator's --logs
// writer and the agent's log. The rendered line keeps the paper's word first (the vocabulary of
// Fig. 14, in which IPR is the target's real address and IPV its virtual server) and adds the
// concrete names after it; the background job's words start with "__".

/** LOG_WORDS is the vocabulary: each event's first word in the rendered line (Fig. 14 and ours). */
export const LOG_WORDS = {
  programStart: 'Management_program_start',
  programStop: 'Management_program_stop',
  internalProblem: 'Internal_monitoring_is_problem',
  startDbss: 'Start_DBSS',
  endDbss: 'End_DBSS',
  ipIsNormal: 'IPR_is_normal',
  networkProblemDetected: 'IPR_network_is_problem',
  serviceProblemDetected: 'IPR_service_is_problem',
  networkProblemConfirmed: 'Network_is_problem',
  serviceProblemConfirmed: 'Service_is_problem',
  alreadyHandled: 'Already_handled',
  notHeard: 'Not_confirmed:_SEM_not_heard',
  programNotRunning: 'Program_not_running',
  restartCheck: '__Restart_check_(IPR)',
  restartRequested: '__Restart_IPR',
  wait: '__Wait',
  startForcibly: '__Start_IPR_forcibly',
  backgroundNormal: '__IPR_is_normal',
  makeUpFile: '__Make_up.file',
  makeDownFile: '__Make_down.file',
  createVirtualServer: 'Create_virtual_server_(IPV)',
  checkVirtualServer: 'Check_virtual_server_(IPV)',
  virtualServerReady: 'Virtual_server_ready_(IPV)',
  virtualServerFailed: 'Virtual_server_failed_(IPV)',
  noHostForVirtualServer: 'No_host_for_virtual_server',
  virtualIpSet: 'Virtual_IP:_VIP_(IPV)',
  findUpFile: 'Find_up.file',
  findDownFile: 'Find_down.file',
  virtualIpBack: 'Virtual_IP:_VIP_(IPV->IPR)',
  virtualIpBackFailed: 'Virtual_IP_back_failed',
  suspendVirtualServer: 'Suspend_IPV',
  sendFiles: 'Send_management_files_to_IPR',
  sendFlag: 'Send_flag_to_IPR',
  receiveUpFile: 'Receive_U.file',
  receiveDownFile: 'Receive_D.file',
  waitJobResult: 'Wait_U.file_or_D.file',
  takeOverAsP1: 'Take_over_as_P1',
  sendUpFile: 'Send_U.file',
  sendDownFile: 'Send_D.file',
} as const;

/** LogEventName names one kind of system log event. */
export type LogEventName = keyof typeof LOG_WORDS;

/** Events about a target that carry nothing else. */
type TargetEventName =
  | 'alreadyHandled'
  | 'notHeard'
  | 'programNotRunning'
  | 'restartRequested'
  | 'wait'
  | 'startForcibly'
  | 'backgroundNormal'
  | 'makeUpFile'
  | 'makeDownFile'
  | 'noHostForVirtualServer'
  | 'findUpFile'
  | 'findDownFile'
  | 'virtualIpBackFailed'
  | 'suspendVirtualServer'
  | 'sendFiles'
  | 'sendFlag'
  | 'receiveUpFile'
  | 'receiveDownFile'
  | 'waitJobResult'
  | 'takeOverAsP1';

/** Events about a virtual server of a target on a host ("FTPb@Web2"). */
type VirtualServerEventName = 'createVirtualServer' | 'checkVirtualServer' | 'virtualServerReady';

/**
 * LogEvent is one line of a management server's system log, as data. The rendered form of each
 * is in the comment; <x> are the fields.
 */
export type LogEvent =
  /** `<word>`: the executor started or stopped the program (Sec. 3.2), or internal monitoring failed (Sec. 4.1). */
  | { event: 'programStart' | 'programStop' | 'internalProblem' }
  /** `<word> <target>` and, in the P2P method, the role: a DBSS (or P2 monitor) starts or ends. */
  | { event: 'startDbss' | 'endDbss'; target: string; role: 'P1' | 'P2' | null }
  /** `<word> <target>`. */
  | { event: TargetEventName; target: string }
  /** `<word> <target> <address>`: the examination found the target normal, or a re-examination confirmed its problem; the restart check starts. */
  | { event: 'ipIsNormal' | 'networkProblemConfirmed' | 'serviceProblemConfirmed' | 'restartCheck'; target: string; address: string }
  /**
   * `<word> <target> <address>`: the first failed examination (the failure detection of Sec. 5.2).
   * address is null on a P2P priority-2 monitor's line, which says `P2` in its place.
   */
  | { event: 'networkProblemDetected' | 'serviceProblemDetected'; target: string; address: string | null }
  /** `<word> <target> <virtualServer>@<host>`. */
  | { event: VirtualServerEventName; target: string; virtualServer: string; host: string }
  /** `<word> <target> <virtualServer>@<host>`: host is null when no host was chosen. */
  | { event: 'virtualServerFailed'; target: string; virtualServer: string; host: string | null }
  /** `<word> <target> <vip> <virtualServer>@<host>`: function recovery is complete (Sec. 5.2). */
  | { event: 'virtualIpSet'; target: string; vip: string; virtualServer: string; host: string }
  /** `<word> <target> <vip>`: target recovery is complete (Sec. 5.2). */
  | { event: 'virtualIpBack'; target: string; vip: string }
  /** `<word> <target> <to>`: a P2P P1 sends U.file or D.file to the target's P2 (Sec. 2.3). */
  | { event: 'sendUpFile' | 'sendDownFile'; target: string; to: string };

/** SystemLogLine is one line of a server's system log: when, whose, and what (Sec. 5.2). */
export interface SystemLogLine {
  atUs: number;
  server: string;
  entry: LogEvent;
}

/** BACKGROUND_EVENTS are written by the background recovery job (their words start with "__"). */
export const BACKGROUND_EVENTS: ReadonlySet<LogEventName> = new Set(
  (Object.keys(LOG_WORDS) as LogEventName[]).filter((name) => LOG_WORDS[name].startsWith('__')),
);

/** logTarget is the server a log event is about, or null for the program's own events. */
export function logTarget(e: LogEvent): string | null {
  return 'target' in e ? e.target : null;
}

/** renderLogEvent is the line of text a person reads: the word, then the event's fields. */
export function renderLogEvent(e: LogEvent): string {
  const word = LOG_WORDS[e.event];
  if (!('target' in e)) return word;
  if ('role' in e) return e.role === null ? `${word} ${e.target}` : `${word} ${e.target} ${e.role}`;
  if ('vip' in e) return 'virtualServer' in e ? `${word} ${e.target} ${e.vip} ${e.virtualServer}@${e.host}` : `${word} ${e.target} ${e.vip}`;
  if ('virtualServer' in e) return `${word} ${e.target} ${e.virtualServer}@${e.host}`;
  if ('address' in e) return `${word} ${e.target} ${e.address ?? 'P2'}`;
  if ('to' in e) return `${word} ${e.target} ${e.to}`;
  return `${word} ${e.target}`;
}
