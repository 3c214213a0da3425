/**
 * Probabilistic concurrency testing (Burckhardt et al., ASPLOS'10): each
 * execution gives the threads random distinct priorities and picks d-1
 * random change points among the first k steps; the highest-priority enabled
 * thread always runs, and at the i-th change point the running thread drops
 * to priority i. A bug of depth d is found with probability at least
 * 1/(n·k^(d-1)) per execution. `k` is learnt from the executions so far.
 */
import { Random } from '../rt/random.js';
import type { Thread } from '../rt/thread.js';
import type { Strategy } from './strategy.js';

export class PctStrategy implements Strategy {
  readonly name = 'pct';
  readonly exhaustive = false;
  readonly exhausted = false;
  readonly everyStep = true;
  private readonly rng: Random;
  private readonly priority = new Map<number, number>();
  private changePoints: number[] = [];
  private step = 0;
  private longest = 64;

  constructor(
    seed: number,
    private readonly depth: number,
  ) {
    this.rng = new Random(seed);
  }

  nextExecution(): boolean {
    this.longest = Math.max(this.longest, this.step);
    this.step = 0;
    this.priority.clear();
    this.changePoints = Array.from({ length: Math.max(0, this.depth - 1) }, () => 1 + this.rng.below(this.longest));
    return true;
  }

  pick(enabled: readonly Thread[]): Thread {
    this.step++;
    for (const t of enabled) {
      // Fresh threads get a random priority above every change-point priority.
      if (!this.priority.has(t.id)) this.priority.set(t.id, this.depth + this.rng.below(1 << 30));
    }
    let best = enabled[0] as Thread;
    for (const t of enabled) if ((this.priority.get(t.id) ?? 0) > (this.priority.get(best.id) ?? 0)) best = t;
    const i = this.changePoints.indexOf(this.step);
    if (i >= 0) {
      this.priority.set(best.id, i);
      for (const t of enabled) if ((this.priority.get(t.id) ?? 0) > (this.priority.get(best.id) ?? 0)) best = t;
    }
    return best;
  }
}
