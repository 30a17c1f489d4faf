// Checks for file paths that the drivers hand to programs or to a remote shell. The management
// files, the management program and the flag file (Sec. 3.2) live at fixed, plain paths, so a
// narrow character set loses nothing and keeps quoting mistakes harmless.

const SAFE_PATH_RE = /^\/[A-Za-z0-9._@+\/-]*$/;

/** isSafeAbsolutePath accepts an absolute path of letters, digits and . _ @ + - / with no ".." segment. */
export function isSafeAbsolutePath(path: string): boolean {
  if (path.length > 4096 || !SAFE_PATH_RE.test(path)) return false;
  return !path.split('/').some((segment) => segment === '..');
}

/** assertSafeAbsolutePath throws a TypeError naming what the path was for when it is not safe. */
export function assertSafeAbsolutePath(path: string, what: string): void {
  if (!isSafeAbsolutePath(path)) throw new TypeError(`invalid ${what} path ${JSON.stringify(path)}`);
}
