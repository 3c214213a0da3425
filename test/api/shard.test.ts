import { describe, expect, it } from 'vitest';
import { checkScenario, defaultCheckers } from '../../src/api/check.js';
import { exploreShard, mergeShards, ShardMismatch, type ShardResult } from '../../src/api/shard.js';
import { DporStrategy } from '../../src/explore/dpor.js';
import { explore } from '../../src/explore/explore.js';
import type { Split } from '../../src/explore/split.js';
import { acquire, atomic, release } from '../../src/rt/api.js';
import { shipped } from '../helpers/scenarios.js';
import { synthetic } from '../helpers/synthetic.js';

const signatures = (fs: readonly { signature: string }[]): string[] => fs.map((f) => f.signature).sort();

function shards(rel: string, kernel: string, of: number, depth: number): ShardResult[] {
  const prog = shipped(rel);
  return Array.from({ length: of }, (_, shard) => exploreShard(prog, kernel, { depth, shard, of }));
}

describe('sharded checks', () => {
  for (const [rel, kernel] of [
    ['teardown-races-device-close.yaml', 'v6.2-rc5'],
    ['qemu-exit-without-del.yaml', 'v6.2-rc5'],
    ['kvm-vfio-add-races-del.yaml', 'v6.2'],
  ] as const) {
    it(`${rel} on ${kernel}: 3 shards merge into the unsplit run's findings and counts`, () => {
      const merged = mergeShards(shards(rel, kernel, 3, 4));
      const whole = mergeShards(shards(rel, kernel, 1, 4));
      const plain = checkScenario(shipped(rel), kernel, { minimise: false, confirmBudget: 0 });
      expect(merged.complete).toBe(true);
      expect(merged.executions).toBe(whole.executions);
      expect(merged.statuses).toEqual(whole.statuses);
      expect(signatures(merged.findings)).toEqual(signatures(whole.findings));
      // Splitting changes how the tree is walked, never what is found.
      expect(signatures(merged.findings)).toEqual(signatures(plain.findings));
      // Per-execution findings count the same executions; a lock-order finding's count depends on when its
      // cycle's edges were learned, which splitting changes.
      for (const f of merged.findings.filter((x) => !x.kind.startsWith('lockdep-') && x.kind !== 'put-under-lock')) {
        expect(f.executions).toBe(whole.findings.find((w) => w.signature === f.signature)?.executions);
      }
    });
  }

  it('reports a lock-order cycle whose two edges only different shards saw', () => {
    // t2 takes A then B if it reads 1, B then A if it reads 2: the two orders live in different subtrees.
    const program = synthetic(
      (exec) => ({ x: exec.alloc('cell', { v: 0 }, false), a: exec.newLock('A', 'mutex'), b: exec.newLock('B', 'mutex') }),
      {
        t0: function* (_t, w) {
          yield* atomic(w.x, 'write', 'w', () => (w.x.v = 1));
        },
        t1: function* (_t, w) {
          yield* atomic(w.x, 'write', 'w', () => (w.x.v = 2));
        },
        t2: function* (_t, w) {
          const v = yield* atomic(w.x, 'read', 'r', () => w.x.v);
          const [p, q] = v === 1 ? [w.a, w.b] : [w.b, w.a];
          if (v === 0) return;
          yield* acquire(p);
          yield* acquire(q);
          yield* release(q);
          yield* release(p);
        },
      },
    );
    const run = (split: Split): ShardResult => {
      const checkers = defaultCheckers(true, false);
      const result = explore(program, { strategy: new DporStrategy({ split }), checkers });
      const snapshots: Record<string, unknown> = {};
      for (const c of checkers) if (c.snapshot !== undefined) snapshots[c.name] = c.snapshot();
      return { format: 'kvmsim-shard', version: 1, scenario: 's', file: 's.yaml', kernel: 'k', split, options: { lockdep: true, races: false }, result, snapshots };
    };
    const parts = [0, 1, 2, 3].map((shard) => run({ depth: 2, shard, of: 4 }));
    const circular = (fs: readonly { kind: string }[]): boolean => fs.some((f) => f.kind === 'lockdep-circular');
    expect(parts.map((p) => circular(p.result.findings))).toEqual([false, false, false, false]);
    const merged = mergeShards(parts);
    expect(circular(merged.findings)).toBe(true);
    expect(circular(run({ depth: 2, shard: 0, of: 1 }).result.findings)).toBe(true);
  });

  it('refuses shards that do not make one check', () => {
    const all = shards('teardown-races-device-close.yaml', 'v6.2', 2, 3);
    expect(() => mergeShards([all[0]!])).toThrow(ShardMismatch);
    expect(() => mergeShards([all[0]!, all[0]!])).toThrow(/given 2 times/);
    const other = exploreShard(shipped('teardown-races-device-close.yaml'), 'v6.2-rc5', { depth: 3, shard: 1, of: 2 });
    expect(() => mergeShards([all[0]!, other])).toThrow(/different checks/);
  });
});
