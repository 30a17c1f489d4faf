// Quoting for the one place where a shell cannot be avoided: SSH runs a remote command through
// the remote user's shell. Every argument is wrapped in single quotes, inside which a POSIX
// shell gives no character a special meaning; a single quote itself is closed, escaped and
// reopened ('\''). Values are validated first, so quoting is the second line of defence.

const PROGRAM_RE = /^[A-Za-z0-9_./+][A-Za-z0-9_./+-]*$/;

/** shellQuote quotes one argument for a POSIX shell. */
export function shellQuote(arg: string): string {
  if (arg.includes('\0')) throw new TypeError('an argument for a remote command contains a NUL byte');
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

/**
 * remoteCommand builds the command line for argv. The program must be a plain name or path
 * (never an option, never shell syntax); arguments may hold anything but NUL, CR and LF, which
 * have no business in a management command and could confuse logs on the other side.
 */
export function remoteCommand(argv: readonly string[]): string {
  const [program, ...args] = argv;
  if (program === undefined) throw new TypeError('a remote command needs a program');
  if (!PROGRAM_RE.test(program)) throw new TypeError(`invalid remote program ${JSON.stringify(program)}`);
  for (const arg of args) {
    if (/[\0\r\n]/.test(arg)) throw new TypeError(`argument ${JSON.stringify(arg)} of ${program} contains a control character`);
  }
  return [program, ...args].map(shellQuote).join(' ');
}
