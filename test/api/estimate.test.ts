import { describe, expect, it } from 'vitest';
import { deviceUsers, twins } from '../../bench/family.js';
import { describeSize, estimateSize, LARGE_LOG10 } from '../../src/api/estimate.js';

describe('the size of a check, before it starts', () => {
  it('counts each thread\'s visible operations in one execution and the interleavings of those counts', () => {
    const e = estimateSize(deviceUsers(2), 'v6.2');
    expect(e.threads.map((t) => t.name)).toEqual(['teardown', 'user0', 'user1']);
    expect(e.threads.every((t) => t.ops > 5)).toBe(true);
    // The multinomial of the counts, in log10: (a+b+c)! / (a! b! c!).
    const f = (n: number): number => Array.from({ length: n }, (_, i) => Math.log10(i + 1)).reduce((s, x) => s + x, 0);
    const [a, b, c] = e.threads.map((t) => t.ops) as [number, number, number];
    expect(e.log10Interleavings).toBeCloseTo(f(a + b + c) - f(a) - f(b) - f(c), 6);
    expect(describeSize(e)).toMatch(/^3 threads of \d+, \d+ and \d+ visible operations: about 10\^\d+ interleavings before reduction$/);
  });

  it('calls device-users-3 large and twins-3 not (what the bench measured: not done in 60 s, done in 7 s)', () => {
    expect(estimateSize(deviceUsers(3), 'v6.2').log10Interleavings).toBeGreaterThan(LARGE_LOG10);
    expect(estimateSize(twins(3), 'v6.6').log10Interleavings).toBeLessThan(LARGE_LOG10);
  });
});
