// UsageError is a bad command line: the CLI prints it on one line and exits with status 2.
export class UsageError extends Error {
  override name = 'UsageError';
}
