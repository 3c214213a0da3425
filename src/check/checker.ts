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
  /**
   * For state caching, the alternative to a state key: a checker whose
   * verdicts on the rest of an execution depend on its past keeps summaries
   * of what explored subtrees did, and judges a revisit's path together
   * with the subtree's summary (SubtreeSummaries.revisit).
   */
  readonly subtree?: SubtreeSummaries;
}

/**
 * What the explorer asks of a checker that summarises explored subtrees
 * (Checker.subtree). A summary describes what the rest of an execution did
 * from one state on, in names that hold across interleavings (threads,
 * stable ids); the explorer keeps one per state on its path and per state it
 * remembers, and never looks inside.
 */
export interface SubtreeSummaries<S = unknown> {
  /** A summary of nothing. */
  empty(): S;
  /** A copy of `s` that can grow on its own. */
  copy(s: S): S;
  /** What to keep of a finished summary (compact; it no longer grows). */
  keep(s: S): S;
  /**
   * Adds to `into` (a summary of the state before step `from` of the
   * execution just run, or still running) what steps `from` … `to` − 1 did,
   * and what `below` (a summary of the state before step `to`, if any) says,
   * as seen from before step `from`. Without `below`, the steps are the last
   * of the execution, which may have been cut short (its status says).
   */
  lift(from: number, to: number, below: S | null, into: S): void;
  /**
   * At a state reached again, whose earlier visit left `summary`: the
   * checker judges this execution's path together with that subtree, and
   * says whether they show a finding not reported yet — then the state is
   * explored again (and the checker sees it happen) instead of cut short.
   */
  revisit(summary: S): boolean;
  /** `summary` with its names renamed (symmetry); `key` names the renaming (the same one comes back often). */
  rename(summary: S, rename: (name: string) => string, key: string): S;
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
