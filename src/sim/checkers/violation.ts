// A Violation is one broken invariant of a simulated run: its name, when it first broke, and
// what broke. Checkers stand apart from the code they check (docs/style.md 7): they only read the
// world's state, never change it.
import type { SystemLogLine } from '../../core/program/log-events.ts';
import type { World } from '../world/world.ts';
import type { WorldChange } from '../world/world-change.ts';

export interface Violation {
  invariant: string;
  atUs: number;
  detail: string;
}

/** Checker is one invariant; each hook reads the world and may record violations. */
export interface Checker {
  /** onChange runs after anything in the world changed (power, VIP, virtual servers, links); change says what it touched, null: anything. */
  onChange?(world: World, change: WorldChange | null): void;
  /** onSample runs once per monitoring interval, for invariants too costly to check at every change. */
  onSample?(world: World): void;
  /** onLog sees every system log line as it is written. */
  onLog?(line: SystemLogLine): void;
  /** onEnd runs once at the end of the run, when the liveness bound has passed. */
  onEnd?(world: World): void;
}

/** ViolationLog keeps the first violation of each invariant (with a count), so a broken run does not flood. */
export class ViolationLog {
  private readonly first = new Map<string, Violation & { count: number }>();

  record(invariant: string, atUs: number, detail: string): void {
    const seen = this.first.get(invariant);
    if (seen !== undefined) {
      seen.count++;
      return;
    }
    this.first.set(invariant, { invariant, atUs, detail, count: 1 });
  }

  list(): (Violation & { count: number })[] {
    return [...this.first.values()].sort((a, b) => a.atUs - b.atUs || a.invariant.localeCompare(b.invariant));
  }
}
