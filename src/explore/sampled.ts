/**
 * A sampling prelude before an exhaustive search: the first `samples`
 * executions are a sampler's (pct), then the exhaustive strategy explores its
 * whole tree as if alone. Depth-first exhaustive search reaches the
 * interleavings near the start of its first execution last, which is where a
 * deadlock between long system calls usually lies; a few dozen pct samples
 * find most such bugs in milliseconds (Burckhardt et al.'s depth argument),
 * so a check bounded by time, or stopped at its first finding, reports them
 * at once. Whether the result is complete is the exhaustive strategy's word
 * alone: the samples add findings, never coverage.
 */
import type { Execution } from '../rt/execution.js';
import type { Visible } from '../rt/ops.js';
import type { Symmetry } from '../rt/symmetry.js';
import type { SubtreeSummaries } from '../check/checker.js';
import type { Thread } from '../rt/thread.js';
import type { Strategy } from './strategy.js';

export class SampledStrategy implements Strategy {
  private sampled = 0;
  private sampling = true;

  constructor(
    private readonly sampler: Strategy,
    private readonly samples: number,
    private readonly main: Strategy,
  ) {}

  private get now(): Strategy {
    return this.sampling ? this.sampler : this.main;
  }

  get name(): string {
    return `${this.main.name} after ${this.samples} ${this.sampler.name} samples`;
  }
  get exhaustive(): boolean {
    return this.main.exhaustive;
  }
  get exhausted(): boolean {
    return this.main.exhausted;
  }
  get everyStep(): boolean {
    return this.now.everyStep === true;
  }
  get fingerprints(): boolean {
    return this.now.fingerprints === true;
  }
  get symmetry(): Symmetry | null {
    return this.now.symmetry ?? null;
  }
  get revisited(): boolean {
    return this.now.revisited === true;
  }
  get states(): number {
    return this.main.states ?? 0;
  }

  nextExecution(): boolean {
    this.sampling = this.sampled < this.samples && this.sampler.nextExecution();
    if (this.sampling) {
      this.sampled++;
      return true;
    }
    return this.main.nextExecution();
  }

  pick(enabled: readonly Thread[], last: Thread | null): Thread | null {
    return this.now.pick(enabled, last);
  }

  stepped(exec: Execution, t: Thread, op: Visible): void {
    this.now.stepped?.(exec, t, op);
  }

  ended(exec: Execution): void {
    this.now.ended?.(exec);
  }

  begun(exec: Execution): void {
    this.now.begun?.(exec);
  }

  summarisers(s: readonly SubtreeSummaries[]): void {
    this.main.summarisers?.(s);
  }

  progress(): number {
    return this.sampling ? 0 : (this.main.progress?.() ?? 0);
  }
}
