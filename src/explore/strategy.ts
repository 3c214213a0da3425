/**
 * The strategy contract: which thread runs at each choice point. A choice point
 * is a step where more than one thread is enabled; steps with one enabled
 * thread are forced and never reach the strategy. Strategies are generic.
 */
import type { Thread } from '../rt/thread.js';

export interface Strategy {
  readonly name: string;
  /**
   * Prepares the next execution. Returns false when there is nothing left to
   * explore (the first call starts the first execution).
   */
  nextExecution(): boolean;
  /** Picks one of `enabled` (two or more, in spawn order); `last` is the thread that ran the previous step. */
  pick(enabled: readonly Thread[], last: Thread | null): Thread;
  /** Whether the strategy has explored everything it set out to (exhaustive strategies). */
  readonly exhausted: boolean;
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
