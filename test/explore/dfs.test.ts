import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { atomic } from '../../src/rt/api.js';
import type { Tracked } from '../../src/rt/object.js';
import { DfsStrategy } from '../../src/explore/dfs.js';
import { explore } from '../../src/explore/explore.js';
import { programArb, terminals } from '../helpers/programs.js';
import { checkDfs, synthetic } from '../helpers/synthetic.js';

/** k threads of m visible steps each on private objects: (k·m)! / (m!)^k interleavings. */
function independent(k: number, m: number) {
  return synthetic(
    (exec) => Array.from({ length: k }, (_, i) => exec.alloc(`obj${i}`, { v: 0 }, false)),
    Object.fromEntries(
      Array.from({ length: k }, (_, i) => [
        `t${i}`,
        function* (_t: unknown, w: Tracked[]) {
          for (let s = 0; s < m; s++) yield* atomic(w[i]!, 'write', 'w', () => undefined);
        },
      ]),
    ) as Record<string, (t: unknown, w: Tracked[]) => Generator<never, void, unknown>>,
  );
}

const fact = (n: number): number => (n <= 1 ? 1 : n * fact(n - 1));

describe('dfs', () => {
  it.each([
    [2, 1],
    [2, 3],
    [3, 2],
  ])('explores every interleaving of %i threads × %i steps exactly once', (k, m) => {
    const r = checkDfs(independent(k, m));
    expect(r.complete).toBe(true);
    expect(r.executions).toBe(fact(k * m) / fact(m) ** k);
  });

  it('stops when the caller says why (a time budget, Ctrl-C) and reports that reason as the bound', () => {
    const r = explore(independent(2, 3), {
      strategy: new DfsStrategy(),
      checkers: [],
      onExecution: (p) => (p.executions >= 3 ? 'time budget (1s)' : true),
    });
    expect(r.executions).toBe(3);
    expect(r.complete).toBe(false);
    expect(r.bound).toBe('time budget (1s)');
  });

  it('stops at the execution bound and says so', () => {
    const r = checkDfs(independent(2, 3), 5);
    expect(r.executions).toBe(5);
    expect(r.complete).toBe(false);
    expect(r.bound).toBe('max executions (5)');
  });
});

describe('dfs with state caching', () => {
  it('reaches exactly the terminal states, warnings and races plain dfs reaches (random programs)', () => {
    fc.assert(
      fc.property(programArb, (threads) => {
        const plain = terminals(threads, new DfsStrategy());
        const stateful = terminals(threads, new DfsStrategy(Number.POSITIVE_INFINITY, true));
        expect([...stateful.races].sort()).toEqual([...plain.races].sort());
        if (plain.races.size === 0) {
          expect([...stateful.states].sort()).toEqual([...plain.states].sort());
          expect([...stateful.warnings].sort()).toEqual([...plain.warnings].sort());
        }
        expect(stateful.all).toBeLessThanOrEqual(plain.all);
      }),
      { numRuns: Number(process.env.DPOR_RUNS ?? 300) },
    );
  });

  it('explores a state reached by two orders once', () => {
    const s = new DfsStrategy(Number.POSITIVE_INFINITY, true);
    const r = explore(independent(2, 3), { strategy: s, checkers: [] });
    expect(r.complete).toBe(true);
    // 20 interleavings, but the state after each prefix depends only on how far each thread got.
    expect(r.statuses.cached).toBeGreaterThan(0);
    expect(r.executions - r.statuses.cached).toBeLessThan(20);
    expect(s.states).toBeGreaterThan(0);
  });

  it('does not cache under a preemption bound (what follows a state depends on the preemptions spent)', () => {
    expect(new DfsStrategy(1, true).fingerprints).toBe(false);
  });
});
