/**
 * Plain exhaustive depth-first search over choice points: every interleaving of
 * visible operations, with no reduction. The oracle the reducing strategies are
 * tested against; intractable beyond small programs.
 */
import type { Thread } from '../rt/thread.js';
import { preferenceOrder, type Strategy } from './strategy.js';

interface Branch {
  /** Thread ids in the order they are tried. */
  readonly options: readonly number[];
  index: number;
}

export class DfsStrategy implements Strategy {
  readonly name = 'dfs';
  readonly exhaustive = true;
  private readonly stack: Branch[] = [];
  private pos = 0;
  private started = false;
  exhausted = false;

  nextExecution(): boolean {
    this.pos = 0;
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
      branch = { options: preferenceOrder(enabled, last).map((t) => t.id), index: 0 };
      this.stack.push(branch);
    }
    this.pos++;
    const id = branch.options[branch.index];
    const t = enabled.find((e) => e.id === id);
    if (t === undefined) throw new Error('internal: dfs replay diverged (the program is not deterministic)');
    return t;
  }
}
