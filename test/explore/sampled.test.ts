// A pct prelude before dpor (sampled.ts) and stopping at the first finding.
import { describe, expect, it } from 'vitest';
import { checkScenario } from '../../src/api/check.js';
import { DeadlockChecker } from '../../src/check/deadlock.js';
import { DporStrategy } from '../../src/explore/dpor.js';
import { explore } from '../../src/explore/explore.js';
import { PctStrategy } from '../../src/explore/pct.js';
import { SampledStrategy } from '../../src/explore/sampled.js';
import { abba as abbaProgram } from '../helpers/abba.js';
import { shipped } from '../helpers/scenarios.js';

/** AB-BA behind private work: the deadlock needs a preemption between the two acquires. */
const abba = abbaProgram(4);

const signatures = (fs: readonly { signature: string }[]): string[] => fs.map((f) => f.signature).sort();

describe('a sampling prelude', () => {
  it('adds its executions and findings, and leaves completeness to the exhaustive search', () => {
    const alone = explore(abba, { strategy: new DporStrategy(), checkers: [new DeadlockChecker()] });
    const sampled = explore(abba, { strategy: new SampledStrategy(new PctStrategy(1, 3), 20, new DporStrategy()), checkers: [new DeadlockChecker()] });
    expect(sampled.complete).toBe(true);
    expect(sampled.executions).toBe(alone.executions + 20);
    expect(signatures(sampled.findings)).toEqual(signatures(alone.findings));
    expect(sampled.strategy).toBe('dpor after 20 pct samples');
  });

  it('reports a deadlock dpor reaches late within its samples', () => {
    const first = (sample: number): number => {
      const r = explore(abba, {
        strategy: sample === 0 ? new DporStrategy() : new SampledStrategy(new PctStrategy(1, 3), sample, new DporStrategy()),
        checkers: [new DeadlockChecker()],
        failFast: true,
      });
      expect(r.bound).toBe('stopped at the first finding');
      expect(r.complete).toBe(false);
      return r.executions;
    };
    // dpor tries the threads one after another first: the deadlock comes after several executions.
    expect(first(0)).toBeGreaterThan(1);
    expect(first(50)).toBeLessThanOrEqual(50);
  });

  it('on a shipped scenario: the same findings as dpor alone, and the same complete tree', () => {
    const prog = shipped('teardown-races-device-close.yaml');
    const plain = checkScenario(prog, 'v6.2-rc5', { minimise: false, confirmBudget: 0 });
    const sampled = checkScenario(prog, 'v6.2-rc5', { minimise: false, confirmBudget: 0, sample: 30 });
    expect(sampled.complete).toBe(true);
    expect(sampled.executions).toBe(plain.executions + 30);
    expect(signatures(sampled.findings)).toEqual(signatures(plain.findings));
  });
});

describe('fail fast', () => {
  it('stops after the first execution that found something, and only then', () => {
    const r = checkScenario(shipped('vfio-device-closed-last.yaml'), 'v6.2-rc5', { minimise: false, confirmBudget: 0, failFast: true });
    expect(r.executions).toBe(r.findings[0]?.firstExecution);
    expect(r.executionsWithFindings).toBe(1);
    const clean = checkScenario(shipped('vfio-device-closed-last.yaml'), 'v6.2', { minimise: false, confirmBudget: 0, failFast: true });
    expect(clean.complete).toBe(true);
    expect(clean.bound).toBeNull();
  });
});
