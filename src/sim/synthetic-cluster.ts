// Synthetic rings of other sizes than the paper's six servers, for explorations and studies at
// scale. Their addresses are labels only: nothing in the simulator touches a network.
import type { ClusterServer } from '../core/model/cluster.ts';
import type { ManagementData } from '../core/model/management-data.ts';

/** syntheticCluster makes k servers S1..Sk (2 <= k <= 250) for explorations of other ring sizes. */
export function syntheticCluster(k: number): ClusterServer[] {
  if (!Number.isInteger(k) || k < 2 || k > 250) throw new RangeError(`a ring needs 2 to 250 servers, got ${k}`);
  const types: ManagementData['serverType'][] = ['NETWORK', 'CPU_NET', 'CPU'];
  const daemons = ['vsftpd', 'httpd', 'sshd'];
  return Array.from({ length: k }, (_, i) => {
    const n = i + 1;
    return {
      no: n,
      data: {
        vip: `172.21.16.${n}`,
        hostName: `S${n}`,
        ipr: `172.21.15.${n}`,
        mac: `00:00:00:00:01:${n.toString(16).padStart(2, '0')}`,
        daemons: [daemons[i % 3] as string],
        serverType: types[i % 3] as ManagementData['serverType'],
      },
    };
  });
}
