// Synthetic rings of other sizes than the paper's six servers, for explorations and studies at
// scale. Their addresses are labels only: nothing in the simulator touches a network. The first
// 250 servers keep the addresses earlier searches used (172.21.16.n); beyond them the VIPs are in
// 10.1.0.0/16 and the real addresses in 10.2.0.0/16, every one valid and unique.
import type { ClusterServer } from '../core/model/cluster.ts';
import type { ManagementData } from '../core/model/management-data.ts';

/** SYNTHETIC_MAX_SERVERS is the most servers the address plan names (254 hosts in each of 254 /24s). */
export const SYNTHETIC_MAX_SERVERS = 254 * 254;

/** syntheticCluster makes k servers S1..Sk (2 <= k <= SYNTHETIC_MAX_SERVERS) for explorations and studies of other ring sizes. */
export function syntheticCluster(k: number): ClusterServer[] {
  if (!Number.isInteger(k) || k < 2 || k > SYNTHETIC_MAX_SERVERS) throw new RangeError(`a ring needs 2 to ${SYNTHETIC_MAX_SERVERS} servers, got ${k}`);
  const types: ManagementData['serverType'][] = ['NETWORK', 'CPU_NET', 'CPU'];
  const daemons = ['vsftpd', 'httpd', 'sshd'];
  return Array.from({ length: k }, (_, i) => {
    const n = i + 1;
    return {
      no: n,
      data: {
        ...syntheticAddresses(n),
        hostName: `S${n}`,
        daemons: [daemons[i % 3] as string],
        serverType: types[i % 3] as ManagementData['serverType'],
      },
    };
  });
}

/** syntheticAddresses names server n's VIP, real address and MAC. */
export function syntheticAddresses(n: number): { vip: string; ipr: string; mac: string } {
  if (n <= 250) return { vip: `172.21.16.${n}`, ipr: `172.21.15.${n}`, mac: `00:00:00:00:01:${n.toString(16).padStart(2, '0')}` };
  const m = n - 251;
  const host = `${Math.floor(m / 254)}.${(m % 254) + 1}`;
  const hex = n.toString(16).padStart(4, '0');
  return { vip: `10.1.${host}`, ipr: `10.2.${host}`, mac: `00:00:00:02:${hex.slice(0, 2)}:${hex.slice(2)}` };
}
