// dpor against an exploration with no partial-order reduction, on every
// shipped scenario and every version it names. Plain dfs finishes only the
// smallest ones, so the yardstick is dfs with state caching: every
// interleaving up to states already explored from, reduced by nothing else.
// The two must report the same findings (signatures: kind, objects, sites).
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { check, ROOT, shipped } from '../helpers/scenarios.js';

const cases = readdirSync(join(ROOT, 'scenarios'))
  .filter((f) => f.endsWith('.yaml'))
  .flatMap((f) => shipped(f).kernels.map((k) => [f, k] as const));

const signatures = (r: { findings: readonly { signature: string }[] }): string[] => r.findings.map((f) => f.signature).sort();

describe('dpor and dfs report the same findings on every shipped scenario', () => {
  it('covers the shipped scenarios', () => {
    expect(cases.length).toBeGreaterThanOrEqual(60);
  });

  it.each(cases)('%s on %s', (file, kernel) => {
    const opts = { minimise: false, confirmBudget: 0 } as const;
    const dfs = check(file, kernel, { ...opts, strategy: 'dfs', cache: true });
    const dpor = check(file, kernel, opts);
    expect(dfs.complete).toBe(true);
    expect(dpor.complete).toBe(true);
    expect(signatures(dpor)).toEqual(signatures(dfs));
  });
});
