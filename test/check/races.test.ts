// The data-race checker on synthetic programs: plain field accesses of a
// tracked object, ordered (or not) by locks and atomic operations.
import { describe, expect, it } from 'vitest';
import { RaceChecker } from '../../src/check/races.js';
import { DporStrategy } from '../../src/explore/dpor.js';
import { explore, type ExploreResult } from '../../src/explore/explore.js';
import { DfsStrategy } from '../../src/explore/dfs.js';
import { PctStrategy } from '../../src/explore/pct.js';
import { SampledStrategy } from '../../src/explore/sampled.js';
import { acquire, atomic, counterOp, free, release } from '../../src/rt/api.js';
import type { Execution, Program } from '../../src/rt/execution.js';
import type { Gen } from '../../src/rt/ops.js';
import { FixedSchedules } from '../helpers/fixed.js';

type Body = (w: { obj: { x: number }; lock: ReturnType<Execution['newLock']>; exec: Execution }) => Gen;

function program(a: Body, b: Body): Program {
  return {
    start(exec: Execution): void {
      const w = { obj: exec.alloc('struct shared', { x: 0 }), lock: exec.newLock('L', 'mutex'), exec };
      exec.spawn('a', 'p', () => a(w));
      exec.spawn('b', 'p', () => b(w));
    },
  };
}

const run = (p: Program): ExploreResult => explore(p, { strategy: new DporStrategy(), checkers: [new RaceChecker()] });
const kinds = (r: ExploreResult): string[] => [...new Set(r.findings.map((f) => f.kind))];

describe('data races', () => {
  it('two unlocked writes of one field race', () => {
    const w: Body = function* ({ obj, lock }) {
      yield* acquire(lock); // a visible operation, so the two writes can interleave
      yield* release(lock);
      obj.x = 1;
    };
    const r = run(program(w, w));
    expect(kinds(r)).toEqual(['data-race']);
    expect(r.findings[0]!.title).toContain('struct shared.x');
  });

  it('twin: the same writes under the lock do not', () => {
    const w: Body = function* ({ obj, lock }) {
      yield* acquire(lock);
      obj.x = 1;
      yield* release(lock);
    };
    expect(run(program(w, w)).findings).toEqual([]);
  });

  it('a read right after an unlock races with a free in another thread (the 9e0f4f2918c2 shape)', () => {
    const reader: Body = function* ({ obj, lock }) {
      yield* acquire(lock);
      yield* release(lock);
      void obj.x; // read after dropping the lock
    };
    const freer: Body = function* ({ obj, lock }) {
      yield* acquire(lock);
      yield* free(obj as never);
      yield* release(lock);
    };
    const r = run(program(reader, freer));
    expect(r.findings.some((f) => f.kind === 'data-race' && f.title.includes('(freed)'))).toBe(true);
  });

  it('the same race is reported when the free comes first (the read is then a use after free too)', () => {
    const reader: Body = function* ({ obj, lock }) {
      yield* acquire(lock);
      yield* release(lock);
      void obj.x;
    };
    const freer: Body = function* ({ obj }) {
      yield* free(obj as never);
    };
    // b frees before a even takes the lock: a's read meets freed memory, unordered with the free.
    const r = explore(program(reader, freer), { strategy: new FixedSchedules([['b', 'a', 'a']]), checkers: [new RaceChecker()] });
    expect(r.findings.map((f) => f.title)).toEqual([expect.stringContaining('struct shared.x (freed)')]);
  });

  it('twin: a free published under the lock the reader takes is ordered with the read', () => {
    const reader: Body = function* ({ obj, lock }) {
      yield* acquire(lock);
      yield* release(lock);
      void obj.x;
    };
    const freer: Body = function* ({ obj, lock }) {
      yield* acquire(lock);
      yield* free(obj as never);
      yield* release(lock);
    };
    const r = explore(program(reader, freer), { strategy: new FixedSchedules([['b', 'b', 'b', 'a', 'a']]), checkers: [new RaceChecker()] });
    expect(r.findings).toEqual([]);
  });

  it('twin: reading before dropping the lock is ordered with the free', () => {
    const reader: Body = function* ({ obj, lock }) {
      yield* acquire(lock);
      void obj.x;
      yield* release(lock);
    };
    const freer: Body = function* ({ obj, lock }) {
      yield* acquire(lock);
      yield* free(obj as never);
      yield* release(lock);
    };
    expect(run(program(reader, freer)).findings.filter((f) => f.kind === 'data-race')).toEqual([]);
  });

  it('marked (atomic) accesses are not plain: no race among them', () => {
    const w: Body = function* ({ obj, exec }) {
      void exec;
      yield* atomic(obj as never, 'write', 'WRITE_ONCE(x)', () => {
        obj.x = 1;
      });
    };
    expect(run(program(w, w)).findings).toEqual([]);
  });

  it('two atomic reads of one counter do not order the threads: the race is seen in every exploration', () => {
    // a writes x then reads c; b reads c then reads x. Were an atomic read to publish, the order
    // "a reads c, then b" would order a's write before b's read and hide the race — and dpor, for which
    // two reads commute, may explore only that order.
    const reading: Program = {
      start(exec: Execution): void {
        const obj = exec.alloc('struct shared', { x: 0 }, false);
        const c = exec.newCounter('c', 0);
        const read = (): Gen<number> => counterOp(c, 'read', (v) => ({ value: v, result: v }));
        exec.spawn('a', 'p', function* (): Gen {
          obj.x = 1;
          yield* read();
        });
        exec.spawn('b', 'p', function* (): Gen {
          yield* read();
          void obj.x;
        });
      },
    };
    for (const strategy of [new DfsStrategy(), new DporStrategy(), new DporStrategy({ cache: true })]) {
      const r = explore(reading, { strategy, checkers: [new RaceChecker()] });
      expect(kinds(r), strategy.name).toEqual(['data-race']);
    }
  });

  it('a race between this path and a subtree explored from a state met again (state caching)', () => {
    // w: x = 1; lock; unlock. s: lock; unlock; spawn r and z. r: write c; read x. z: write d. Both orders of
    // the two sections meet in one state once w and s are done (r and z still to run), but only where s's
    // section came first does r — which knows what s knew — race with w's write. With caching, the order
    // "w's section first" is explored first and the racing order is cut at that state: the race lies
    // across it, between this path's write and the read in the cached subtree.
    const across = (guarded: boolean): Program => ({
      start(exec: Execution): void {
        const obj = exec.alloc('struct shared', { x: 0 }, false);
        const lock = exec.newLock('L', 'mutex');
        const [c, d] = [exec.alloc('cell', { v: 0 }, false), exec.alloc('cell', { v: 0 }, false)];
        exec.spawn('w', 'p', function* (): Gen {
          if (!guarded) obj.x = 1;
          yield* acquire(lock);
          if (guarded) obj.x = 1;
          yield* release(lock);
        });
        exec.spawn('s', 'p', function* (): Gen {
          yield* acquire(lock);
          yield* release(lock);
          exec.spawn('r', 'p', function* (): Gen {
            yield* atomic(c, 'write', 'w', () => void (c.v = 1));
            if (guarded) {
              yield* acquire(lock);
              void obj.x;
              yield* release(lock);
            } else void obj.x;
          });
          exec.spawn('z', 'p', () => atomic(d, 'write', 'w', () => void (d.v = 1)));
        });
      },
    });
    for (const [name, strategy] of [
      ['dfs', new DfsStrategy()],
      ['dfs with caching', new DfsStrategy(Number.POSITIVE_INFINITY, true)],
      ['dpor', new DporStrategy()],
      ['dpor with caching', new DporStrategy({ cache: true })],
      ['dpor with caching after a pct sample', new SampledStrategy(new PctStrategy(2, 1), 1, new DporStrategy({ cache: true }))],
    ] as const) {
      const r = explore(across(false), { strategy, checkers: [new RaceChecker()] });
      expect(kinds(r), name).toEqual(['data-race']);
      // Twin: both accesses under the lock — no race in any order.
      expect(explore(across(true), { strategy, checkers: [new RaceChecker()] }).findings, name).toEqual([]);
    }
  });


  it('a spawned thread does not know what its spawner does after spawning it (found by the spawning programs)', () => {
    // s spawns r, then writes x under two locks (no publication between the spawn and the write); r reads
    // x. The child once inherited its parent's current epoch, so the parent's later write looked ordered
    // before the child's read.
    const spawning: Program = {
      start(exec: Execution): void {
        const obj = exec.alloc('struct shared', { x: 0 }, false);
        const [lock, other] = [exec.newLock('L', 'mutex'), exec.newLock('M', 'mutex')];
        exec.spawn('s', 'p', function* (): Gen {
          exec.spawn('r', 'p', function* (): Gen {
            yield* acquire(other);
            void obj.x;
          });
          yield* acquire(lock);
          obj.x = 1;
          yield* release(lock);
        });
      },
    };
    for (const strategy of [new DfsStrategy(), new DporStrategy(), new DporStrategy({ cache: true })]) {
      expect(kinds(explore(spawning, { strategy, checkers: [new RaceChecker()] }))).toEqual(['data-race']);
    }
  });
});
