// The system log vocabulary of Fig. 14 (Sec. 5.2). The paper writes IPR for the target's real
// address and IPV for its virtual server; our lines keep the paper's word first and add the
// concrete names after it. Lines written by the background job start with "__".

export const BACKGROUND_PREFIX = '__';

export const LOG = {
  ipIsNormal: 'IPR_is_normal',
  networkProblemDetected: 'IPR_network_is_problem',
  serviceProblemDetected: 'IPR_service_is_problem',
  networkProblemConfirmed: 'Network_is_problem',
  serviceProblemConfirmed: 'Service_is_problem',
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
  startDbss: 'Start_DBSS',
  endDbss: 'End_DBSS',
  programStart: 'Management_program_start',
  programStop: 'Management_program_stop',
  internalProblem: 'Internal_monitoring_is_problem',
  alreadyHandled: 'Already_handled',
} as const;

/** virtualServerName names the virtual server that stands in for target ("FTPb", Fig. 10; "Loginb", Fig. 4). */
export function virtualServerName(target: string): string {
  return `${target}b`;
}
