import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DfsStrategy } from '../../src/explore/dfs.js';
import { DporStrategy } from '../../src/explore/dpor.js';
import { parseShard, splitDepth } from '../../src/explore/split.js';
import { programArb, terminals } from '../helpers/programs.js';

describe('split exploration (shards)', () => {
  it('shards together reach what dfs reaches, in exactly the executions of one run split the same way', () => {
    fc.assert(
      fc.property(programArb, fc.integer({ min: 1, max: 3 }), fc.integer({ min: 2, max: 4 }), (threads, depth, of) => {
        const dfs = terminals(threads, new DfsStrategy());
        const whole = terminals(threads, new DporStrategy({ split: { depth, shard: 0, of: 1 } }));
        const states = new Set<string>();
        const races = new Set<string>();
        let executions = 0;
        let all = 0;
        for (let shard = 0; shard < of; shard++) {
          const r = terminals(threads, new DporStrategy({ split: { depth, shard, of } }));
          for (const s of r.states) states.add(s);
          for (const s of r.races) races.add(s);
          executions += r.executions;
          all += r.all;
        }
        expect([...races].sort()).toEqual([...dfs.races].sort());
        // A racy program may end in states only some orders of its plain accesses show: the race is the finding.
        if (dfs.races.size === 0) {
          expect([...states].sort()).toEqual([...dfs.states].sort());
          expect([...whole.states].sort()).toEqual([...dfs.states].sort());
        }
        expect(executions).toBe(whole.executions);
        expect(all).toBe(whole.all);
      }),
      { numRuns: Math.ceil(Number(process.env.DPOR_RUNS ?? 300) / 3) },
    );
  });

  it('deals subtrees to every shard once the tree is wide enough', () => {
    // Three threads of two writes each to one cell: 90 traces, plenty of subtrees.
    const threads = [0, 1, 2].map((i) => [
      { k: 'w' as const, x: 0, v: i + 1 },
      { k: 'w' as const, x: 0, v: i + 4 },
    ]);
    const per = [0, 1, 2].map((shard) => terminals(threads, new DporStrategy({ split: { depth: 3, shard, of: 3 } })).executions);
    expect(per.every((n) => n > 0)).toBe(true);
    expect(per.reduce((a, b) => a + b)).toBe(terminals(threads, new DporStrategy()).executions);
  });

  it('parses i/N as CI matrices count (1-based)', () => {
    expect(parseShard('2/4')).toEqual({ shard: 1, of: 4 });
    expect(parseShard('0/4')).toBeNull();
    expect(parseShard('5/4')).toBeNull();
    expect(parseShard('x')).toBeNull();
    expect(splitDepth(1)).toBeLessThan(splitDepth(8));
  });
});
