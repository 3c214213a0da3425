// Preemption-bounded search and counterexample minimisation.
import { describe, expect, it } from 'vitest';
import { minimise } from '../../src/api/minimise.js';
import { DeadlockChecker } from '../../src/check/deadlock.js';
import { DfsStrategy } from '../../src/explore/dfs.js';
import { explore } from '../../src/explore/explore.js';
import { acquire, atomic, release } from '../../src/rt/api.js';
import type { Execution, Program } from '../../src/rt/execution.js';
import type { Lock } from '../../src/rt/lock.js';
import type { Gen } from '../../src/rt/ops.js';

/** AB-BA: a deadlock needs exactly one preemption (t0 stopped between its two acquires). */
const abba: Program = {
  start(exec: Execution): void {
    const [a, b] = [exec.newLock('A', 'mutex'), exec.newLock('B', 'mutex')];
    const body = (x: Lock, y: Lock) =>
      function* (): Gen {
        const mine = exec.alloc('private', { v: 0 }, false);
        yield* atomic(mine, 'write', 'work', () => undefined);
        yield* acquire(x);
        yield* acquire(y);
        yield* release(y);
        yield* release(x);
      };
    exec.spawn('t0', 'p', body(a, b));
    exec.spawn('t1', 'p', body(b, a));
  },
};

describe('preemption bounding', () => {
  it('bound 0 runs threads one after another: no AB-BA deadlock; bound 1 finds it; neither claims completeness', () => {
    const r0 = explore(abba, { strategy: new DfsStrategy(0), checkers: [new DeadlockChecker()] });
    expect(r0.statuses.deadlock).toBe(0);
    expect(r0.complete).toBe(false);
    const r1 = explore(abba, { strategy: new DfsStrategy(1), checkers: [new DeadlockChecker()] });
    expect(r1.statuses.deadlock).toBeGreaterThan(0);
    expect(r1.executions).toBeLessThan(explore(abba, { strategy: new DfsStrategy(), checkers: [] }).executions);
  });

  it('minimise finds the one-preemption schedule and proves none with fewer exists', () => {
    const full = explore(abba, { strategy: new DfsStrategy(), checkers: [new DeadlockChecker()] });
    const sig = full.findings.find((f) => f.kind === 'deadlock')!.signature;
    const m = minimise(abba, () => [new DeadlockChecker()], sig);
    expect(m).not.toBeNull();
    expect(m!.preemptions).toBe(1);
    expect(m!.provenMinimal).toBe(true);
  });
});
