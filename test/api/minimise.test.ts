// Preemption-bounded search and counterexample minimisation.
import { describe, expect, it } from 'vitest';
import { minimise, minimiseAll } from '../../src/api/minimise.js';
import { simplify } from '../../src/api/simplify.js';
import { DeadlockChecker } from '../../src/check/deadlock.js';
import { DfsStrategy } from '../../src/explore/dfs.js';
import { explore } from '../../src/explore/explore.js';
import { abba as abbaProgram } from '../helpers/abba.js';

/** AB-BA: a deadlock needs exactly one preemption (t0 stopped between its two acquires). */
const abba = abbaProgram(1);

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

describe('greedy simplification', () => {
  // t0 and t1 take turns at every step: nine preemptions, and both end up holding one lock each.
  const alternating = Array.from({ length: 10 }, (_, i) => (i % 2 === 0 ? 't0' : 't1'));
  const deadlock = (): string => explore(abba, { strategy: new DfsStrategy(), checkers: [new DeadlockChecker()] }).findings.find((f) => f.kind === 'deadlock')!.signature;

  it('takes a schedule full of preemptions down to the one the deadlock needs', () => {
    const s = simplify(abba, () => [new DeadlockChecker()], deadlock(), alternating);
    expect(s).not.toBeNull();
    expect(s!.preemptions).toBe(1);
  });

  it('returns null for a schedule that does not show the finding', () => {
    expect(simplify(abba, () => [new DeadlockChecker()], deadlock(), ['t0'])).toBeNull();
  });

  it('minimiseAll starts from the greedy result and proves it with the smaller bounds', () => {
    const sig = deadlock();
    const m = minimiseAll(abba, () => [new DeadlockChecker()], [{ signature: sig, from: alternating }]).get(sig);
    expect(m?.preemptions).toBe(1);
    expect(m?.provenMinimal).toBe(true);
    // Without the budget to search bound 0, the greedy result stands, unproven.
    const cut = minimiseAll(abba, () => [new DeadlockChecker()], [{ signature: sig, from: alternating }], { steps: 0 }).get(sig);
    expect(cut?.preemptions).toBe(1);
    expect(cut?.provenMinimal).toBe(false);
  });
});
