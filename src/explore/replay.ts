/**
 * Replays one schedule: at each choice point, the thread named next. Past the
 * end of the schedule it keeps running the last thread while it can (the
 * exhaustive strategies' first preference), so a trimmed schedule still
 * reproduces its execution.
 */
import type { Thread } from '../rt/thread.js';
import { preferenceOrder, type Strategy } from './strategy.js';

export class ReplayError extends Error {}

export class ReplayStrategy implements Strategy {
  readonly name = 'replay';
  readonly exhaustive = false;
  private pos = 0;
  private runs = 0;
  exhausted = false;
  private readonly schedule: readonly string[];

  constructor(schedule: readonly string[]) {
    this.schedule = schedule;
  }

  /** The choices of the schedule not used (yet): a finished execution that leaves some did not follow it. */
  get unused(): number {
    return Math.max(0, this.schedule.length - this.pos);
  }

  nextExecution(): boolean {
    this.pos = 0;
    if (this.runs++ > 0) {
      this.exhausted = true;
      return false;
    }
    return true;
  }

  pick(enabled: readonly Thread[], last: Thread | null): Thread {
    const name = this.schedule[this.pos++];
    if (name === undefined) return preferenceOrder(enabled, last)[0] as Thread;
    const t = enabled.find((e) => e.name === name);
    if (t === undefined) {
      throw new ReplayError(
        `schedule step ${this.pos}: thread "${name}" cannot run here (enabled: ${enabled.map((e) => e.name).join(', ')})`,
      );
    }
    return t;
  }
}
