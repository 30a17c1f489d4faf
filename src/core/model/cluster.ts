// A cluster is the ring of management servers (Sec. 2.2(b)): each with its group-file No. and
// its management data (Fig. 4). The file management server hands out the first management files
// from it at system start (Sec. 3.2).
import type { ManagementData } from './management-data.ts';
import { initialFiles } from './management-files.ts';
import type { ManagementFiles } from './management-files.ts';

/** ClusterServer is one server of the ring: its group-file No. and its management data. */
export interface ClusterServer {
  no: number;
  data: ManagementData;
}

/**
 * clusterFiles is the state the file management server hands out at system start (Sec. 3.2):
 * every server running, each listed with its management data file `<Host>.dat`, heartbeats
 * stamped unixS.
 */
export function clusterFiles(cluster: readonly ClusterServer[], unixS: number): ManagementFiles {
  return initialFiles(
    cluster.map((c) => ({ no: c.no, server: c.data.hostName, dataFile: `${c.data.hostName}.dat` })),
    unixS,
  );
}
