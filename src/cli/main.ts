// The dbss process: runs the command line (cli.ts) and answers a failure with one line and its status.
import { failureOf, main, stdoutFailure } from './cli.ts';

// Standard output that cannot be written ends the command: a full disk with one line and status 2,
// instead of a stack trace or a status 0 with the output lost; a reader that closed the pipe
// quietly, with the status of a process killed by SIGPIPE (128 + 13), as a shell tool ends.
process.stdout.on('error', (e: unknown) => {
  const failure = stdoutFailure(e);
  if (failure !== null) process.stderr.write(failure);
  process.exit(failure === null ? 141 : 2);
});

main(process.argv.slice(2)).then(
  (status) => {
    process.exitCode = status;
  },
  (e: unknown) => {
    const failure = failureOf(e);
    process.stderr.write(failure.stderr);
    process.exitCode = failure.status;
  },
);
