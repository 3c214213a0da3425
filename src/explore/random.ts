/**
 * Seeded random walks: at every choice point, a uniformly chosen enabled
 * thread. For scenarios too large to exhaust; never a proof (`exhaustive`
 * is false), but every finding replays from its schedule.
 */
import { Random } from '../rt/random.js';
import type { Thread } from '../rt/thread.js';
import type { Strategy } from './strategy.js';

export class RandomStrategy implements Strategy {
  readonly name = 'random';
  readonly exhaustive = false;
  readonly exhausted = false;
  private readonly rng: Random;

  constructor(seed: number) {
    this.rng = new Random(seed);
  }

  nextExecution(): boolean {
    return true;
  }

  pick(enabled: readonly Thread[]): Thread {
    return enabled[this.rng.below(enabled.length)] as Thread;
  }
}
