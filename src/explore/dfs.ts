/**
 * Plain exhaustive depth-first search over choice points: every interleaving of
 * visible operations, with no reduction. The oracle the reducing strategies are
 * tested against; intractable beyond small programs.
 *
 * With a preemption bound (CHESS's iterative context bounding) it explores
 * only the schedules that switch away from a thread that could have gone on
 * at most `bound` times — few enough to search exhaustively, and the bugs
 * they contain come with the shortest explanations.
 */
import type { Thread } from '../rt/thread.js';
import { preferenceOrder, type Strategy } from './strategy.js';

interface Branch {
  /** Thread ids in the order they are tried. */
  readonly options: readonly number[];
  index: number;
  /** Preemptions on the path before this choice. */
  readonly before: number;
  /** Whether the thread that ran last could go on here (choosing another is a preemption). */
  readonly lastEnabled: boolean;
}

export class DfsStrategy implements Strategy {
  readonly name = 'dfs';
  readonly exhaustive: boolean;
  /** Preemptions on the current path so far. */
  private preemptions = 0;

  /** @param preemptionBound - at most this many preemptions per schedule (default: unbounded). */
  constructor(private readonly preemptionBound = Number.POSITIVE_INFINITY) {
    // A bounded search covers every interleaving only when the bound does not bind.
    this.exhaustive = preemptionBound === Number.POSITIVE_INFINITY;
  }

  private readonly stack: Branch[] = [];
  private pos = 0;
  private started = false;
  exhausted = false;

  nextExecution(): boolean {
    this.pos = 0;
    this.preemptions = 0;
    if (!this.started) {
      this.started = true;
      return true;
    }
    while (this.stack.length > 0) {
      const top = this.stack[this.stack.length - 1] as Branch;
      top.index++;
      if (top.index < top.options.length) return true;
      this.stack.pop();
    }
    this.exhausted = true;
    return false;
  }

  pick(enabled: readonly Thread[], last: Thread | null): Thread {
    let branch = this.stack[this.pos];
    if (branch === undefined) {
      const lastEnabled = last !== null && enabled.includes(last);
      let options = preferenceOrder(enabled, last).map((t) => t.id);
      // Out of preemptions: only the running thread may go on.
      if (lastEnabled && this.preemptions >= this.preemptionBound) options = options.slice(0, 1);
      branch = { options, index: 0, before: this.preemptions, lastEnabled };
      this.stack.push(branch);
    }
    this.pos++;
    // preferenceOrder puts the running thread first: any later option preempts it.
    this.preemptions = branch.before + (branch.lastEnabled && branch.index > 0 ? 1 : 0);
    const id = branch.options[branch.index];
    const t = enabled.find((e) => e.id === id);
    if (t === undefined) throw new Error('internal: dfs replay diverged (the program is not deterministic)');
    return t;
  }
}
