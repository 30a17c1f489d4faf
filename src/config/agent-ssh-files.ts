// The SSH files agent.yaml names, checked as the SSH driver will use them: the private key must be
// one ssh2 can log in with, and known_hosts must hold a host key for every other server under the
// name the driver looks it up by (remote.ts: the management address, [address]:port off port 22).
// The agent's start only reads these files; `dbss agent check` asks for this much more.
import type { AgentConfig } from '../agent/config.ts';
import { InputError } from '../core/model/input-error.ts';
import { KnownHosts, hostLookupName } from '../drivers/known-hosts.ts';
import { privateKeyProblem } from '../drivers/ssh-key.ts';
import { readText } from './read-text.ts';

/** sshFileProblems returns one problem for an unusable private key and one per server known_hosts has no key for. */
export function sshFileProblems(config: AgentConfig): InputError[] {
  const problems: InputError[] = [];
  const keyText = readOrNull(config.ssh.keyFile, 'SSH key file', 'a readable private key');
  const keyProblem = keyText === null ? null : privateKeyProblem(Buffer.from(keyText, 'utf8'));
  if (keyProblem !== null) problems.push(new InputError(config.ssh.keyFile, null, 'SSH key', 'an unencrypted private key (e.g. ssh-keygen -t ed25519 -N "" -f FILE)', keyProblem));
  const hostsText = readOrNull(config.ssh.knownHosts, 'known_hosts file', 'a readable known_hosts file');
  if (hostsText === null) return problems;
  const known = KnownHosts.fromText(hostsText);
  for (const peer of config.peers) {
    if (peer.name === config.server || known.keysFor(peer.management, peer.sshPort).length > 0) continue;
    const lookup = hostLookupName(peer.management, peer.sshPort);
    const byName = known.keysFor(peer.name, peer.sshPort).length > 0 ? `a line for ${hostLookupName(peer.name, peer.sshPort)} by name only` : 'no line';
    problems.push(new InputError(config.ssh.knownHosts, null, `host key of ${peer.name}`, `a line for ${lookup}, the address the agent connects to (ssh-keyscan${peer.sshPort === 22 ? '' : ` -p ${peer.sshPort}`} ${peer.management})`, byName));
  }
  return problems;
}

/** readOrNull reads a file checkAgentDir has already reported when it cannot be read. */
function readOrNull(path: string, field: string, expected: string): string | null {
  try {
    return readText(path, field, expected);
  } catch (e) {
    if (e instanceof InputError) return null;
    throw e;
  }
}
