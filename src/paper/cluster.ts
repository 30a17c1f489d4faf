// The paper's cluster: its six servers (Sec. 5.1, Fig. 13),
// in the ring order read from the operation file of Fig. 4 (Mail -> FTP -> Web1 -> Web2 ->
// Proxy -> Login -> Mail), with management data as in Fig. 4. The 172.21.14.x addresses are
// labels only: nothing in the simulator touches a network.
import type { ClusterServer } from '../core/model/cluster.ts';
import type { ManagementData } from '../core/model/management-data.ts';

/**
 * PAPER_SERVICES gives each paper server's daemons and server type (Sec. 3.3, Fig. 4). Mail
 * (NETWORK, postfix dovecot) and Web1 (CPU_NET, httpd) are printed in Fig. 4; the others are
 * assumptions from the services of Table 1: vsftpd and squid mostly move data (NETWORK), Web2
 * is a second Apache (CPU_NET), sshd logins use the CPU (CPU).
 */
const PAPER_SERVICES: ReadonlyArray<readonly [string, readonly string[], ManagementData['serverType']]> = [
  ['Mail', ['postfix', 'dovecot'], 'NETWORK'],
  ['FTP', ['vsftpd'], 'NETWORK'],
  ['Web1', ['httpd'], 'CPU_NET'],
  ['Web2', ['httpd'], 'CPU_NET'],
  ['Proxy', ['squid'], 'NETWORK'],
  ['Login', ['sshd'], 'CPU'],
];

/** paperCluster returns the paper's six servers; the n-th has IPR 172.21.14.n, VIP .20n and MAC ...:0n (Fig. 4). */
export function paperCluster(): ClusterServer[] {
  return PAPER_SERVICES.map(([hostName, daemons, serverType], i) => {
    const n = i + 1;
    return {
      no: n,
      data: {
        vip: `172.21.14.${200 + n}`,
        hostName,
        ipr: `172.21.14.${n}`,
        mac: `00:00:00:00:00:${n.toString(16).padStart(2, '0')}`,
        daemons: [...daemons],
        serverType,
      },
    };
  });
}
