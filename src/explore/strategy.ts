/**
 * The strategy contract: which thread runs at each choice point. A choice point
 * is a step where more than one thread is enabled; steps with one enabled
 * thread are forced and never reach the strategy. Strategies are generic.
 */
import type { SubtreeSummaries } from '../check/checker.js';
import type { Execution } from '../rt/execution.js';
import type { Visible } from '../rt/ops.js';
import type { Symmetry } from '../rt/symmetry.js';
import type { Thread } from '../rt/thread.js';

export interface Strategy {
  readonly name: string;
  /**
   * Prepares the next execution. Returns false when there is nothing left to
   * explore (the first call starts the first execution).
   */
  nextExecution(): boolean;
  /**
   * Picks one of `enabled` (in spawn order; two or more unless `everyStep`);
   * `last` is the thread that ran the previous step. Null abandons the
   * execution as redundant (every continuation is covered elsewhere).
   */
  pick(enabled: readonly Thread[], last: Thread | null): Thread | null;
  /** Whether the strategy has explored everything it set out to. */
  readonly exhausted: boolean;
  /** Whether exhausting it means every interleaving was covered (dfs, dpor; not replay or sampling). */
  readonly exhaustive: boolean;
  /** Consult `pick` at every step, forced ones included (strategies that track every operation). */
  readonly everyStep?: boolean;
  /** Told after every step which operation `t` performed. */
  stepped?(exec: Execution, t: Thread, op: Visible): void;
  /** Told when an execution has ended, however it ended. */
  ended?(exec: Execution): void;
  /**
   * For a split exploration (split.ts): whether the execution just run was
   * abandoned because another shard owns it (it is then not counted), and the
   * subtree it belongs to.
   */
  readonly skipped?: boolean;
  readonly subtree?: number;
  /** Whether the last null `pick` stopped at a state explored before (state caching), not a redundant prefix. */
  readonly revisited?: boolean;
  /** An estimate of the share of the tree explored so far (0–1), where the strategy can make one. */
  progress?(): number;
  /** With state caching: distinct states explored from so far. */
  readonly states?: number;
  /**
   * With commuting atomics (explore/counters.ts): the counter updates run so
   * far, and those of them left unordered with each other.
   */
  readonly commuting?: { readonly updates: number; readonly commuted: number } | undefined;
  /** Executions must track what threads observe, for state fingerprints (state caching). */
  readonly fingerprints?: boolean;
  /** With state caching: interchangeable threads, whose states are named by their canonical image (rt/symmetry.ts). */
  readonly symmetry?: Symmetry | null;
  /** An execution has begun: the program's start hook ran (the threads it spawned exist, none has stepped). */
  begun?(exec: Execution): void;
  /** With state caching: the checkers that summarise explored subtrees (Checker.subtree), told before every execution. */
  summarisers?(s: readonly SubtreeSummaries[]): void;
}

/**
 * The order in which exhaustive strategies try the enabled threads: the thread
 * that just ran first (no preemption), then the others in spawn order. The
 * first execution explored is thus the one with the fewest context switches.
 */
export function preferenceOrder(enabled: readonly Thread[], last: Thread | null): Thread[] {
  if (last === null || !enabled.includes(last)) return enabled.slice();
  return [last, ...enabled.filter((t) => t !== last)];
}
