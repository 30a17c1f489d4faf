// The paper's ring as the group file lists it (docs/paper-reference.md, Fig. 4): Mail -> FTP -> Web1 -> Web2
// -> Proxy -> Login -> Mail. One fixture for every core test that needs it.
import type { RingEntry } from '../../src/core/model/management-files.ts';

export const PAPER_RING: readonly RingEntry[] = [
  { no: 1, server: 'Mail', dataFile: 'Mail.dat' },
  { no: 2, server: 'FTP', dataFile: 'FTP.dat' },
  { no: 3, server: 'Web1', dataFile: 'Web1.dat' },
  { no: 4, server: 'Web2', dataFile: 'Web2.dat' },
  { no: 5, server: 'Proxy', dataFile: 'Proxy.dat' },
  { no: 6, server: 'Login', dataFile: 'Login.dat' },
];
