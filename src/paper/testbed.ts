// The simulated world of the paper's experiments (Sec. 5.1, Table 1, Fig. 13): how long its servers,
// networks and virtual servers take, with where each value comes from: Table 1, an interval read
// off the system log of Fig. 14, a derivation from the paper's numbers, or an assumption with its
// reason (each field's meaning is in src/sim/sim-params.ts). The report's "Model assumptions"
// section lists them from SIM_PARAM_SOURCES; a test fails when a field has no source.
import { secondsToUs } from '../core/model/time.ts';
import type { SimParams } from '../sim/sim-params.ts';
import { assumption, derived, figure, paper } from './sources.ts';
import type { ParamSource } from './sources.ts';

/** TABLE1_START_S is Table 1's real server start time, the alternative boot of the report's sensitivity run. */
export const TABLE1_START_S = 31.07;

export function defaultSimParams(): SimParams {
  const s = secondsToUs;
  return {
    loadMeasureUs: s(0.26),
    networkExamOkUs: s(0.03),
    serviceExamUsByDaemon: {
      vsftpd: s(0.02),
      sshd: s(0.23),
      postfix: s(0.36),
      dovecot: s(0.36),
      squid: s(0.36),
      httpd: s(1.1),
    },
    serviceExamDefaultUs: s(0.1),
    serviceRefusedUs: s(0.01),
    serviceRetryIntervalUs: s(0.5),
    internalCheckUs: s(0.05),
    loadCollectUs: s(0.08),
    fileEditUs: s(0.02),
    semDeliveryUs: s(0.001),
    vsResumeUs: s(1.52),
    vsInstallProcedureUs: s(0.28),
    vipSetUs: s(0.15),
    vipReleaseUs: s(0.56),
    vsSuspendUs: s(0.37),
    sendFilesUs: s(0.26),
    sendFlagUs: s(0.59),
    jobFileHandoverUs: s(0.07),
    remoteCommandUs: s(0.05),
    programStartUs: s(0.04),
    shutdownUs: s(2.26),
    bootToServiceUs: s(28.34),
    wolDeliveryUs: s(0.001),
    clientIntervalUs: s(1),
    clientOkUs: s(0.02),
    clientTimeoutUs: s(1),
    variationFraction: 0.05,
    hostMemKb: 8192 * 1024,
    hostCores: 8,
    hostRatedBytesPerS: 125_000_000,
    vmCapacity: 3,
    vsMemKb: 2048 * 1024,
    baseFreeMemKb: 6 * 1024 * 1024,
    baseCpuIdlePct: 720,
    baseNetBytesPerS: 1_000_000,
    loadNoiseFraction: 0.1,
    firstTickUnixS: 1622727780,
  };
}

/** SIM_PARAM_SOURCES says where each SimParams default comes from (see sim/sim-params.ts). */
export const SIM_PARAM_SOURCES: Record<keyof SimParams, ParamSource> = {
  loadMeasureUs: figure('Fig. 14: the tick at :10 plus Tnd gives detection at 12.26, so A1 and A2 take 0.26 s'),
  networkExamOkUs: figure('Fig. 14: "IPR_is_normal" at 00.31 = 0.26 + this + FTP\'s 0.02 s service examination'),
  serviceExamUsByDaemon: paper('Table 1: FTP 0.02, Login 0.23, Mail 0.36, Proxy 0.36, Web 1.10 s'),
  serviceExamDefaultUs: assumption('a daemon Table 1 does not list'),
  serviceRefusedUs: assumption('a closed port answers with a reset within a LAN round trip'),
  serviceRetryIntervalUs: assumption('a re-examination retries the service this often until its maximum wait'),
  internalCheckUs: assumption('internal monitoring (Fig. 9(b)): a gateway ping and the local service ports'),
  loadCollectUs: figure('Fig. 14: A3, detection 12.26 to re-examination end 14.34 is Tnd + 0.08 s'),
  fileEditUs: figure('Fig. 14: A4, re-examination end 14.34 to the background job at 14.36'),
  semDeliveryUs: assumption('one SEM record across the 1000BASE-T management switch'),
  vsResumeUs: paper('Table 1: activation of a suspended virtual server'),
  vsInstallProcedureUs: figure('Fig. 14: background job 14.36 to virtual server ready 16.16 is 1.80 s, less Table 1\'s 1.52 s activation'),
  vipSetUs: figure('Fig. 14: virtual server ready 16.16 to VIP set 16.31'),
  vipReleaseUs: figure('Fig. 14: Find_up.file 33.19 to VIP back 33.92 = 0.73 s, less the 0.02 s edit and the 0.15 s VIP set'),
  vsSuspendUs: figure('Fig. 14: VIP back 33.92 to virtual server suspended 34.29'),
  sendFilesUs: figure('Fig. 14: suspended 34.29 to management files sent 34.55'),
  sendFlagUs: figure('Fig. 14: files sent 34.55 to flag sent 35.14'),
  jobFileHandoverUs: figure('Fig. 14: up.file made 33.12 to found 33.19'),
  remoteCommandUs: assumption('an SSH command on another server (the St restart, a remote program start)'),
  programStartUs: assumption('P2P only (Sec. 2.3): a fork and exec of a management program script; the paper gives no time'),
  shutdownUs: derived('Table 1: restart time 33.33 s minus start time 31.07 s, read as the shutdown part of a restart'),
  bootToServiceUs: figure('Fig. 14: Wake-on-LAN 04.78 to "started normally" 33.12; Table 1\'s start time is 31.07 s (see the sensitivity run)'),
  wolDeliveryUs: assumption('the magic packet on the LAN'),
  clientIntervalUs: paper('Sec. 5.2: the client accesses the service once a second'),
  clientOkUs: figure('Fig. 14: OK lines 1.02 s apart'),
  clientTimeoutUs: figure('Fig. 14: XX lines 2.04 s apart'),
  variationFraction: assumption('the paper gives means only; every world duration varies uniformly by this fraction'),
  hostMemKb: paper('Table 1: 8,192 MB'),
  hostCores: derived('Table 1: Core i7-3770, 4 cores with 8 hardware threads, counted as 8 for Eq. (5)'),
  hostRatedBytesPerS: paper('Sec. 5.1: 1000BASE-T'),
  vmCapacity: assumption('8,192 MB holds three 2,048 MB virtual servers beside the host\'s own system'),
  vsMemKb: paper('Table 1: 2,048 MB'),
  baseFreeMemKb: assumption('a lightly used server: 6 GB free'),
  baseCpuIdlePct: assumption('a lightly used server: 90 % idle of 8 x 100'),
  baseNetBytesPerS: assumption('a lightly used server: 1 MB/s'),
  loadNoiseFraction: assumption('random variation of each load measurement'),
  firstTickUnixS: assumption('any tick-aligned time; 13:43:00 UTC so that logs read like Fig. 14\'s clock, on an arbitrary date'),
};
