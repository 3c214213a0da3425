/**
 * One execution in program order with threads taking turns: at each choice
 * point the next enabled thread after the last one runs. What `kvmsim run` shows.
 */
import type { Thread } from '../rt/thread.js';
import type { Strategy } from './strategy.js';

export class RoundRobinStrategy implements Strategy {
  readonly name = 'round-robin';
  readonly exhaustive = false;
  private runs = 0;
  exhausted = false;

  nextExecution(): boolean {
    if (this.runs++ > 0) {
      this.exhausted = true;
      return false;
    }
    return true;
  }

  pick(enabled: readonly Thread[], last: Thread | null): Thread {
    if (last === null) return enabled[0] as Thread;
    return enabled.find((t) => t.id > last.id) ?? (enabled[0] as Thread);
  }
}
