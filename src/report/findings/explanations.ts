// Explanations of the mechanisms behind the findings of `npm run explore`, keyed by
// "<method>:<invariant>", written after replaying each finding with `dbss sim --logs`.

export interface Explanation {
  mechanism: string;
  paper: string;
}

const PARTITION_SPLIT =
  'The server is cut off the service network while it keeps running. Its manager\'s network examination and re-examination time out (Tnd), exactly as for a server that was shut down (Nt), so the manager separates it, resumes its virtual server and claims its VIP; the duplicate-address check before the claim cannot see the real server behind the partition. A network problem is only watched by the restart check (no restart command is sent to a server that does not answer), so nothing fences the real server: when the partition heals both the real server and its virtual server hold the VIP until the background job finds the server answering again and moves the VIP back (A6).';

export const EXPLANATIONS: Readonly<Record<string, Explanation>> = {
  'ring:vip-unique': {
    mechanism: PARTITION_SPLIT,
    paper: 'No. The paper reproduces a network problem by shutting the server down (Sec. 5.2), and its network examination cannot tell a partition from a shutdown; fencing is not discussed.',
  },
  'p2p:vip-unique': {
    mechanism: `${PARTITION_SPLIT} The P2P method has the same examination and the same restart check, so it shows the same split.`,
    paper: 'No (as for the ring method).',
  },
  'ring:vip-back': {
    mechanism:
      'A partition longer than the restart wait plus the start wait (50 s + 50 s) makes the background job give up: Wake-on-LAN does nothing to a running server, the job writes down.file and the DBSS ends (Fig. 1). When the partition heals the server runs and serves again, but it stays in the separation file with its VIP on the virtual server, and nobody manages it: nothing in the design brings back a server that was given up. The same run also shows the VIP held twice after the heal (see vip-unique).',
    paper: 'Partly: Sec. 2.1 and Fig. 10 say the DBSS terminates when the target cannot be recovered; what happens when such a server comes back by itself is not discussed.',
  },
  'ring:managed-once': {
    mechanism:
      "Mail's clock is 5.2 s ahead (chrony not synchronised). Its ticks then fall just before the other servers' internal checks of the half interval (Fig. 4's heartbeat times), so when it reads the heartbeat file before external monitoring it sees FTP's previous stamp, 15 s old by its clock, judges FTP stale and extends its management to Web1 (dual monitoring, Sec. 4.1) at every tick; automatic connection selection ends the extension at the next tick but the next tick recreates it. The tolerance is about half the monitoring interval minus the load measurement: a manager whose clock is off by more is a second manager of the server after its target.",
    paper: 'Indirectly: Sec. 3.2 relies on chrony for simultaneous monitoring; the tolerance on the offset is not given.',
  },
  'ring:sem-agreement': {
    mechanism:
      "Mail is cut off the management network while its service fails. Login separates Mail and sends the edits (SEM, Sec. 3.1) to every server; Mail never receives them, and SEM sends each edit once with no acknowledgement or resynchronisation, so Mail's group file keeps disagreeing with everybody's until Mail is restarted and handed the files again (A6). In the meantime Mail acts on its stale files.",
    paper: 'No. SEM is described as sending Diff.dat to every management server; lost records and resynchronisation are not discussed (the real SEM transport of this project resends gaps; the simulated one models the paper).',
  },
  'p2p:sem-agreement': {
    mechanism: 'As for the ring method: a server cut off the management network misses SEM records and is not resynchronised until it is handed the files again. (The shrunk schedule keeps a 23 ms clock offset that only shifts the timing.)',
    paper: 'No (as for the ring method).',
  },
  'ring:single-virtual-server': {
    mechanism:
      "FTP misses the SEM records for 38 s, heartbeat stamps among them. At the next tick the heartbeats of Web2, Proxy, Login and Mail look stale to FTP, so dual monitoring extends FTP's management over all of them. When Mail then has a service problem both FTP and Login (Mail's real manager) detect it; FTP separates Mail and makes Mailb, but its own edits are still lost, so Login does not see the separation and makes a second Mailb. The duplicate-address check refuses the second VIP and the second virtual server is suspended at once, but for a moment two run for Mail.",
    paper: 'No. Dual monitoring assumes the heartbeat file is shared reliably; what a manager does with a heartbeat file that missed edits is not discussed.',
  },
  'p2p:managed-once': {
    mechanism:
      "Mail is cut off the service network for 104 s. As Login's P2 it finds Login unreachable, examines Login's P1 (Proxy), which it cannot reach either, and takes over as P1: it separates Login, a healthy server (a P2 cannot tell its own network problem from everybody else's). Its restart check cannot reach Login for the restart wait and the start wait, so it writes down.file and the recovery ends; Login stays in the separation file for good, and since the P2P roles follow the group file nobody manages it any more. Meanwhile Login, as Mail's P1, recovers Mail, and when the partition heals Mail's VIP is held twice (see vip-unique).",
    paper: 'No. Sec. 2.3 describes P2 taking over when P1 is found abnormal, not a P2 whose own network failed.',
  },
  'p2p:function-served': {
    mechanism:
      "Proxy is cut off the service network for 28 s while Mail's service fails. Proxy, as P1 of Login and P2 of Web2, finds both failed and takes them over; and each P1 recovery starts at once a P1 program for the next server (Sec. 2.3), which examines it immediately, fails through Proxy's own partition and goes on: within 15 s Proxy has separated Login, Web2, Mail, FTP and Web1, every one judged a network problem. The duplicate-address check refuses its virtual servers' VIPs for the healthy servers, but Mail really has a service problem: it was separated by Proxy, so Login and Web2, its real managers, log Already_handled, and Proxy, seeing a network problem, never restarts it and finally writes down.file. Mail stays broken, unserved and unmanaged. The chained start of P1 programs turns one partitioned manager into a sweep of the whole ring; the ring method extends only from the heartbeat file and its examinations (Sec. 4.1).",
    paper: 'No. The chained Tnd delays of Sec. 5.3 are the same mechanism, described there for servers that really failed.',
  },
  'p2p:recovery-job-ended': {
    mechanism:
      "Three consecutive servers have a service problem at the paper's timing (St on Mail, FTP and Web1, their programs still running). Web1, as FTP's P2, finds FTP failed and FTP's P1 (Mail) abnormal, takes over as P1, separates FTP and restarts it; a moment later Web2 restarts Web1 for its own service problem, and Web1's recovery of FTP dies before it has made FTPb and before any up.file or down.file. FTP reboots, but it is separated, has no virtual server and no manager: the P2P roles follow the group file and nothing picks up a recovery that died with the server that ran it. The ring method survives every such combination (the coverage table): its take-over rule (Fig. 10(d)) makes the manager of a failed manager adopt the separated servers it was recovering.",
    paper: "No. This is one of the paper's own fault types at its own timing with three servers (as in Fig. 15, but St instead of Nt); the paper's P2P (Sec. 2.3) has P2 take over from a failed P1, not a replacement for a P1 that itself fails while it recovers.",
  },
};
