import { describe, expect, it } from 'vitest';
import { DeadlockChecker } from '../../src/check/deadlock.js';
import { explore, type ExploreResult } from '../../src/explore/explore.js';
import { PctStrategy } from '../../src/explore/pct.js';
import { RandomStrategy } from '../../src/explore/random.js';
import type { Strategy } from '../../src/explore/strategy.js';
import type { Program } from '../../src/rt/execution.js';
import { Random } from '../../src/rt/random.js';
import { abba } from '../helpers/abba.js';

const run = (p: Program, s: Strategy, n: number): ExploreResult => explore(p, { strategy: s, checkers: [new DeadlockChecker()], maxExecutions: n });

describe('sampling strategies', () => {
  it.each([
    ['random', (seed: number): Strategy => new RandomStrategy(seed)],
    ['pct', (seed: number): Strategy => new PctStrategy(seed, 2)],
  ])('%s finds the AB-BA deadlock, says it is bounded, and is reproducible from its seed', (_name, make) => {
    const r = run(abba(5), make(7), 300);
    expect(r.findings.map((f) => f.kind)).toEqual(['deadlock']);
    expect(r.complete).toBe(false);
    expect(r.bound).toBe('max executions (300)');
    const again = run(abba(5), make(7), 300);
    expect(again.statuses).toEqual(r.statuses);
    expect(again.findings[0]!.schedule).toEqual(r.findings[0]!.schedule);
  });

  it.each([
    ['random', (seed: number): Strategy => new RandomStrategy(seed)],
    ['pct', (seed: number): Strategy => new PctStrategy(seed, 2)],
  ])('%s twin: one lock order never deadlocks', (_name, make) => {
    expect(run(abba(5, true), make(7), 300).findings).toEqual([]);
  });

  it('the generator is seeded and uniform enough', () => {
    const r = new Random(42);
    const counts = [0, 0, 0, 0];
    for (let i = 0; i < 4000; i++) counts[r.below(4)]!++;
    for (const c of counts) expect(c).toBeGreaterThan(850);
    expect(new Random(42).nextU32()).toBe(new Random(42).nextU32());
  });
});
