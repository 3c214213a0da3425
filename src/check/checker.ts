/**
 * The checker contract: a listener on runtime events that, at the end of each
 * execution, says what it found. Checkers are generic — they know threads,
 * locks, counters and objects, nothing of the model behind them.
 */
import type { Listener } from '../rt/events.js';
import type { Execution } from '../rt/execution.js';
import type { Finding, RawFinding } from '../trace/finding.js';

export interface Checker extends Listener {
  readonly name: string;
  /** Asks the runtime to report every plain field access (costly; for data-race detection). */
  readonly wantsPlainAccesses?: boolean;
  /** A new execution starts: forget per-execution state. */
  begin(exec: Execution): void;
  /** The execution ended (any status): what it showed. `schedule` replays it. */
  end(exec: Execution, schedule: readonly string[]): RawFinding[];
  /**
   * Exploration is over: findings that only the whole exploration can tell
   * (checks over every execution's observations), and the final form of this
   * checker's own findings (e.g. a potential deadlock marked confirmed by a
   * deadlock another checker found). Returns the findings to report in place
   * of this checker's.
   */
  conclude?(all: readonly Finding[], coverage: Coverage): Finding[];
  /**
   * What this checker learned across executions (for one exploration split
   * into shards), as plain JSON data; `absorb` merges another shard's into
   * this one and returns what only the union shows (a lock-order cycle whose
   * edges two shards saw separately). Checkers that judge each execution on
   * its own need neither.
   */
  snapshot?(): unknown;
  absorb?(snapshot: unknown): Absorbed[];
  /**
   * For state caching: what, beyond the program's state, this checker's
   * verdict on the rest of the execution depends on (e.g. which past accesses
   * a future one could still race with). Two executions that reach one state
   * with equal keys get the same verdicts from here on. Checkers that judge
   * the state alone need none. With symmetry (rt/symmetry.ts), every name in
   * it that may belong to an interchangeable thread (a thread's name, a
   * stable id) goes through `rename` first.
   */
  stateKey?(rename: ((name: string) => string) | null): string;
}

/** A finding that only merging shards' snapshots showed, with the schedule that replays its last piece. */
export interface Absorbed {
  readonly raw: RawFinding;
  readonly schedule: readonly string[];
}

/** How much an exploration covered, for conclusions drawn from it. */
export interface Coverage {
  readonly executions: number;
  readonly complete: boolean;
}
