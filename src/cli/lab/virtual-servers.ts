// Placeholder until the KVM guests are wired in.
import type { LabPaths } from './layout.ts';
import type { LabState } from './lab-state.ts';

export async function startVirtualServers(_paths: LabPaths, _state: LabState, log: (line: string) => void): Promise<void> {
  log('virtual servers: not built yet');
}

export async function removeVirtualServers(_paths: LabPaths, _state: LabState | null, _log: (line: string) => void): Promise<void> {}
