/** A strategy that runs a fixed list of schedules, one execution each (for tests of cross-execution analyses). */
import type { Strategy } from '../../src/explore/strategy.js';
import type { Thread } from '../../src/rt/thread.js';

export class FixedSchedules implements Strategy {
  readonly name = 'fixed';
  readonly exhaustive = false;
  exhausted = false;
  private i = -1;
  private pos = 0;

  constructor(private readonly schedules: readonly (readonly string[])[]) {}

  nextExecution(): boolean {
    this.i++;
    this.pos = 0;
    if (this.i >= this.schedules.length) {
      this.exhausted = true;
      return false;
    }
    return true;
  }

  pick(enabled: readonly Thread[]): Thread {
    const name = this.schedules[this.i]?.[this.pos++];
    return enabled.find((t) => t.name === name) ?? (enabled[0] as Thread);
  }
}
