// Assertions of the protocol core (docs/style.md 12: assert what must not happen too). A state
// machine that is handed something its state does not expect throws a ProtocolAssertionError
// instead of dropping it: the simulator ends the run there and reports it with the run's seed
// (src/sim/run/run.ts), the explorer shrinks the schedule that caused it, and the agent stops
// with one log line (src/agent/runner.ts).

/** ProtocolAssertionError is a state a management program must never reach: a bug, not bad input. */
export class ProtocolAssertionError extends Error {
  override name = 'ProtocolAssertionError';
}

/** assert throws a ProtocolAssertionError with the message when condition is false. */
export function assert(condition: unknown, message: string | (() => string)): asserts condition {
  if (!condition) throw new ProtocolAssertionError(typeof message === 'string' ? message : message());
}

/** unexpected is the error for a value no case handles: a state machine met something it cannot be in. */
export function unexpected(what: string, value: unknown): ProtocolAssertionError {
  return new ProtocolAssertionError(`unexpected ${what}: ${JSON.stringify(value)}`);
}
