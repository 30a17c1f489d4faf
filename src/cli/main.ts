// The dbss process: runs the command line (cli.ts) and answers a failure with one line and its status.
import { failureOf, main } from './cli.ts';

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
