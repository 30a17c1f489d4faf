// The paper's measured results that `dbss repro` compares with (Kitamura et al., JISSJ 2022,
// Table 2), exactly as docs/paper-reference.md transcribes them: means of 10 runs, in
// seconds. Fig. 15's results are withheld, so no value here belongs to that experiment.
import type { PaperFaultType as FaultType } from '../sim/world/faults.ts';

/** Metric names one of the paper's times (Sec. 5.2-5.3); detection is ours (fault to detection), the paper gives none. */
export type Metric = 'function_recovery' | 'target_recovery' | 'client_disconnection' | 'detection';

export const METRICS: readonly Metric[] = ['function_recovery', 'target_recovery', 'client_disconnection', 'detection'];

/** RingAndP2p is one cell of Table 2: the ring value and the P2P value printed in brackets. */
export interface RingAndP2p {
  ring: number;
  p2p: number;
}

/**
 * TABLE2_UPPER: Table 2 (upper), one failed target (FTP, managed by Mail), fault 5.00 s after a
 * tick. Function recovery, target recovery and client disconnection, ring and P2P.
 */
export const TABLE2_UPPER: Record<FaultType, Partial<Record<Metric, RingAndP2p>>> = {
  St: {
    function_recovery: { ring: 5.07, p2p: 5.24 },
    target_recovery: { ring: 33.23, p2p: 33.48 },
    client_disconnection: { ring: 10.61, p2p: 10.65 },
  },
  Nt: {
    function_recovery: { ring: 4.05, p2p: 4.13 },
    target_recovery: { ring: 81.74, p2p: 82.04 },
    client_disconnection: { ring: 11.64, p2p: 11.66 },
  },
};

/** Table2LowerRow is one row of Table 2 (lower): the faults on FTP and Web 1 and the function recovery of each. */
export interface Table2LowerRow {
  ftp: FaultType;
  web1: FaultType;
  /** FTP and Web1 hold the function recovery of that server, ring (P2P), in docs/paper-reference.md's reading of the cells. */
  FTP: RingAndP2p;
  Web1: RingAndP2p;
}

/**
 * TABLE2_LOWER: Table 2 (lower), FTP and Web 1 fail at once; function recovery only. The OCR
 * does not say which number of a cell belongs to which server; docs/paper-reference.md gives the St-like
 * value to the server with St and the Nt-like value to the server with Nt, and keeps that order
 * for St/St and Nt/Nt.
 */
export const TABLE2_LOWER: readonly Table2LowerRow[] = [
  { ftp: 'St', web1: 'St', FTP: { ring: 5.18, p2p: 5.19 }, Web1: { ring: 5.39, p2p: 5.46 } },
  { ftp: 'St', web1: 'Nt', FTP: { ring: 5.12, p2p: 5.21 }, Web1: { ring: 4.06, p2p: 4.2 } },
  { ftp: 'Nt', web1: 'St', FTP: { ring: 4.06, p2p: 4.11 }, Web1: { ring: 5.19, p2p: 5.31 } },
  { ftp: 'Nt', web1: 'Nt', FTP: { ring: 4.07, p2p: 4.14 }, Web1: { ring: 4.21, p2p: 4.54 } },
];
