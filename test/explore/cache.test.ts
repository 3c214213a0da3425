import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DfsStrategy } from '../../src/explore/dfs.js';
import { DporStrategy } from '../../src/explore/dpor.js';
import { programArb, terminals, type Op } from '../helpers/programs.js';

describe('dpor with state caching', () => {
  it('reaches exactly the terminal states dfs reaches (random programs)', () => {
    fc.assert(
      fc.property(programArb, (threads) => {
        const dfs = terminals(threads, new DfsStrategy());
        const cached = terminals(threads, new DporStrategy({ cache: true }));
        expect([...cached.races].sort()).toEqual([...dfs.races].sort());
        if (dfs.races.size === 0) {
          expect([...cached.states].sort()).toEqual([...dfs.states].sort());
          expect([...cached.warnings].sort()).toEqual([...dfs.warnings].sort());
        }
      }),
      { numRuns: 10 * Number(process.env.DPOR_RUNS ?? 300) },
    );
  });

  it('tells apart states whose objects swap values (found by this property with 4,500 programs)', () => {
    // Two cells end as (3, 2) on one path and (2, 3) on another with every thread where it was: with the
    // store hashed as a plain sum of FNV hashes the two collided half the time, and the second state's
    // subtree was taken as explored.
    const threads: Op[][] = [
      [{ k: 'lock', l: 0, body: [{ k: 'w', x: 1, v: 3 }] }, { k: 'w', x: 0, v: 2 }, { k: 'r', x: 0 }],
      [{ k: 'w', x: 0, v: 1 }],
      [{ k: 'w', x: 0, v: 3 }, { k: 'w', x: 1, v: 2 }],
    ];
    const dfs = terminals(threads, new DfsStrategy());
    const cached = terminals(threads, new DporStrategy({ cache: true }));
    expect([...cached.states].sort()).toEqual([...dfs.states].sort());
  });

  it('explores a state reached by two orders once', () => {
    // Two threads each take the lock and bump a counter: both orders meet in one state.
    const bump: Op[] = [{ k: 'lock', l: 0, body: [{ k: 'w', x: 0, v: 1 }] }, { k: 'w', x: 1, v: 2 }, { k: 'r', x: 1 }];
    const plain = new DporStrategy();
    const cached = new DporStrategy({ cache: true });
    const a = terminals([bump, bump], plain);
    const b = terminals([bump, bump], cached);
    expect([...b.states].sort()).toEqual([...a.states].sort());
    expect(cached.cacheHits).toBeGreaterThan(0);
  });
});

describe('dpor progress estimate', () => {
  it('stays within 0..1, and says something before the end', () => {
    const threads: Op[][] = [0, 1, 2].map((i) => [
      { k: 'w', x: 0, v: i + 1 },
      { k: 'w', x: 0, v: i + 4 },
    ]);
    const s = new DporStrategy();
    const seen: number[] = [];
    const origNext = s.nextExecution.bind(s);
    s.nextExecution = (): boolean => {
      seen.push(s.progress());
      return origNext();
    };
    terminals(threads, s);
    expect(seen.every((f) => f >= 0 && f <= 1)).toBe(true);
    expect(seen.some((f) => f > 0.4 && f < 1)).toBe(true);
    expect(seen[seen.length - 1]).toBeGreaterThan(0.9);
  });
});
