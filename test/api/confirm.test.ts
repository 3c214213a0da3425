// The directed search that confirms (or rules out) a potential deadlock.
import { describe, expect, it } from 'vitest';
import { searchDeadlock } from '../../src/api/confirm.js';
import { acquire, release } from '../../src/rt/api.js';
import type { Execution, Program } from '../../src/rt/execution.js';
import type { Lock } from '../../src/rt/lock.js';
import type { Gen } from '../../src/rt/ops.js';

function* take(...locks: Lock[]): Gen {
  for (const l of locks) yield* acquire(l);
  for (const l of [...locks].reverse()) yield* release(l);
}

function abba(gated: boolean): Program {
  return {
    start(exec: Execution): void {
      const [a, b, g] = [exec.newLock('A', 'mutex'), exec.newLock('B', 'mutex'), exec.newLock('G', 'mutex')];
      exec.spawn('t0', 'p', () => (gated ? take(g, a, b) : take(a, b)));
      exec.spawn('t1', 'p', () => (gated ? take(g, b, a) : take(b, a)));
    },
  };
}

describe('searchDeadlock', () => {
  it('finds a schedule that deadlocks on exactly the cycle classes', () => {
    const c = searchDeadlock(abba(false), new Set(['A', 'B']), 100);
    expect(c.status).toBe('confirmed');
    expect(c.schedule?.length).toBeGreaterThan(0);
  });

  it('rules the cycle out when a gate lock makes it unreachable and the search covers everything', () => {
    expect(searchDeadlock(abba(true), new Set(['A', 'B']), 100).status).toBe('unreachable');
  });

  it('says unknown when the budget runs out first', () => {
    expect(searchDeadlock(abba(true), new Set(['A', 'B']), 1).status).toBe('unknown');
  });
});
