// Whether a private key file is one the SSH driver (ssh.ts, through ssh2) can log in with: the agent
// reads it only when it first restarts a server or sends files, which is too late to learn that the
// operator installed the public half, a passphrase-protected key or a file of another format.
import ssh2 from 'ssh2';

/**
 * privateKeyProblem says what is wrong with the text of a private key file for an unattended
 * agent, or null when ssh2 reads it as an unencrypted private key.
 */
export function privateKeyProblem(text: Buffer): string | null {
  const parsed = ssh2.utils.parseKey(text);
  if (parsed instanceof Error) return parsed.message;
  const key = Array.isArray(parsed) ? parsed[0] : parsed;
  if (key === undefined) return 'no key in the file';
  if (!key.isPrivateKey()) return `a public ${key.type} key, not its private half`;
  return null;
}
