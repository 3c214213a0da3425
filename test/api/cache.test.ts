import { describe, expect, it } from 'vitest';
import { check } from '../helpers/scenarios.js';

const signatures = (fs: readonly { signature: string }[]): string[] => fs.map((f) => f.signature).sort();

describe('state caching on shipped scenarios', () => {
  // device-open-races-vm-teardown is where judging only complete executions lost three use-after-free
  // findings: they happen before the state an execution stops at, which is reached again clean.
  for (const [rel, kernel] of [
    ['device-open-races-vm-teardown.yaml', 'v6.1'],
    ['device-open-races-vm-teardown.yaml', 'v6.2-rc5'],
    ['teardown-races-device-close.yaml', 'v6.2-rc5'],
    ['kvm-vfio-add-races-del.yaml', 'v6.2'],
  ] as const) {
    for (const races of [true, false]) {
      it(`${rel} on ${kernel}${races ? '' : ' without the data-race checker'}: the same findings in fewer executions`, () => {
        const opts = { races, minimise: false, confirmBudget: 0 } as const;
        const plain = check(rel, kernel, { ...opts, cache: false });
        const cached = check(rel, kernel, opts);
        expect(cached.complete).toBe(true);
        expect(cached.states).toBeGreaterThan(0);
        expect(plain.states).toBeUndefined();
        expect(signatures(cached.findings)).toEqual(signatures(plain.findings));
        // On a small tree the revisits' extra backtracking can cost an execution or two.
        if (rel !== 'teardown-races-device-close.yaml') expect(cached.executions).toBeLessThan(plain.executions);
      });
    }
  }

  it("keeps 9e0f4f2918c2's own data race on v6.2 (the race is between accesses before and after shared states)", () => {
    const r = check('kvm-vfio-add-races-del.yaml', 'v6.2', { minimise: false, confirmBudget: 0 });
    expect(r.states).toBeGreaterThan(0);
    expect(r.findings.some((f) => f.kind === 'data-race')).toBe(true);
  });
});
