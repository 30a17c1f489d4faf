// SimParams holds every timing and size of the simulated world: how long the servers, networks
// and virtual servers of the paper's cluster (Sec. 5.1, Table 1) take to do what the
// management programs ask. Each field says where its default comes from: Table 1, an interval
// read off the system log of Fig. 14, or an assumption with its reason.

export interface SimParams {
  /** loadMeasureUs: A1 load measurement and A2 before external monitoring. Fig. 14: the tick at :10 plus Tnd gives detection at 12.26, so 0.26 s. */
  loadMeasureUs: number;
  /** networkExamOkUs: a network examination of a live target. Fig. 14: "IPR_is_normal" at 00.31 = 0.26 + this + FTP's 0.02. */
  networkExamOkUs: number;
  /** serviceExamUsByDaemon: service examination of a healthy daemon (Table 1: FTP 0.02, Login 0.23, Mail 0.36, Proxy 0.36, Web 1.10 s). */
  serviceExamUsByDaemon: Record<string, number>;
  /** serviceExamDefaultUs: a daemon Table 1 does not list. Assumption: 0.10 s. */
  serviceExamDefaultUs: number;
  /** serviceRefusedUs: a closed port answers with a reset within a LAN round trip. Assumption: 0.01 s. */
  serviceRefusedUs: number;
  /** serviceRetryIntervalUs: a re-examination retries the service this often until its maximum wait. Assumption: 0.5 s. */
  serviceRetryIntervalUs: number;
  /** internalCheckUs: internal monitoring, a gateway ping and the local service ports (Fig. 9(b)). Assumption: 0.05 s. */
  internalCheckUs: number;
  /** loadCollectUs: A3, fetching the predicted load of every server. Fig. 14: detection 12.26 to re-examination end 14.34 is Tnd + 0.08 s. */
  loadCollectUs: number;
  /** fileEditUs: A4, editing the local management files. Fig. 14: 14.34 to the background job at 14.36. */
  fileEditUs: number;
  /** semDeliveryUs: one SEM record across the management switch (1000BASE-T). Assumption: 1 ms. */
  semDeliveryUs: number;
  /** vsResumeUs: activating a suspended virtual server (Table 1: 1.52 s). */
  vsResumeUs: number;
  /** vsInstallProcedureUs: the original server method's procedure file, sent and installed (Sec. 3.1). Fig. 14: 14.36 to ready at 16.16 is 1.80 s, less Table 1's 1.52 s. */
  vsInstallProcedureUs: number;
  /** vipSetUs: setting a VIP with a gratuitous ARP. Fig. 14: ready 16.16, VIP set 16.31. */
  vipSetUs: number;
  /** vipReleaseUs: removing a VIP from a live holder first. Fig. 14: Find_up.file 33.19 to VIP on IPR 33.92 = 0.73 s, less the 0.02 s edit and 0.15 s set. */
  vipReleaseUs: number;
  /** vsSuspendUs: suspending the virtual server. Fig. 14: 33.92 to 34.29. */
  vsSuspendUs: number;
  /** sendFilesUs: management files and program to the recovered server. Fig. 14: 34.29 to 34.55. */
  sendFilesUs: number;
  /** sendFlagUs: the flag file to the recovered server. Fig. 14: 34.55 to 35.14. */
  sendFlagUs: number;
  /** jobFileHandoverUs: up.file made until the foreground finds it. Fig. 14: 33.12 to 33.19 (rounded: 0.07 s). */
  jobFileHandoverUs: number;
  /** remoteCommandUs: an SSH command on another server (the restart). Assumption: 0.05 s. */
  remoteCommandUs: number;
  /**
   * programStartUs: starting a management program (P2P only, Sec. 2.3: P1 starts the programs of
   * its new roles before the virtual server). Assumption: 0.04 s, a fork and exec of a script on
   * Table 1's servers; a program started on another server adds remoteCommandUs.
   */
  programStartUs: number;
  /** shutdownUs: from a restart command until the server stops answering. Table 1: restart 33.33 s - start 31.07 s. */
  shutdownUs: number;
  /**
   * bootToServiceUs: from power-on until the services answer. Fig. 14: Wake-on-LAN 04.78 to
   * "started normally" 33.12 = 28.34 s. Table 1's start time is 31.07 s; Table 2's Nt target
   * recovery mean (81.74 s) agrees with Fig. 14's run (81.66 s), so Table 1 times something
   * longer than service readiness (the `time` of a whole boot). See REPORT.md.
   */
  bootToServiceUs: number;
  /** wolDeliveryUs: the magic packet on the LAN. Assumption: 1 ms. */
  wolDeliveryUs: number;
  /** clientIntervalUs: the client accesses each service once a second (Sec. 5.2). */
  clientIntervalUs: number;
  /** clientOkUs: a successful client access. Fig. 14: OK lines 1.02 s apart. */
  clientOkUs: number;
  /** clientTimeoutUs: a client access to a host that does not answer. Fig. 14: XX lines 2.04 s apart. */
  clientTimeoutUs: number;
  /** variationFraction: every world duration above (not Table 1's timeouts) varies uniformly by this fraction per occurrence. Assumption: the paper gives means only. */
  variationFraction: number;
  /** hostMemKb, hostCores, hostRatedBytesPerS: Table 1's servers (8,192 MB, i7-3770 with 8 threads, 1000BASE-T). */
  hostMemKb: number;
  hostCores: number;
  hostRatedBytesPerS: number;
  /** vmCapacity: virtual servers a host can run. Assumption: 3, since 8,192 MB holds three 2,048 MB virtual servers beside its own OS and service. */
  vmCapacity: number;
  /** vsMemKb: one virtual server (Table 1: 2,048 MB). */
  vsMemKb: number;
  /** baseFreeMemKb, baseCpuIdlePct, baseNetBytesPerS: a host's own load. Assumption: a lightly used server (6 GB free, 90 % idle, 1 MB/s). */
  baseFreeMemKb: number;
  baseCpuIdlePct: number;
  baseNetBytesPerS: number;
  /** loadNoiseFraction: random variation of each load measurement. Assumption: 10 %. */
  loadNoiseFraction: number;
  /** firstTickUnixS: the UNIX time of the first monitoring tick (t = 0). 2021-06-03 13:43:00 UTC, so logs read like Fig. 14's clock. */
  firstTickUnixS: number;
}
