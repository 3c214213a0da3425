import { describe, expect, it } from 'vitest';
import { acquire, release, traced } from '../../src/rt/api.js';
import type { Lock } from '../../src/rt/lock.js';
import type { Gen } from '../../src/rt/ops.js';
import type { Thread } from '../../src/rt/thread.js';
import { checkDfs, kinds, synthetic } from '../helpers/synthetic.js';

const take = traced('take', function* (_o: { thread: Thread }, a: Lock, b: Lock): Gen {
  yield* acquire(a);
  yield* acquire(b);
  yield* release(b);
  yield* release(a);
});

function abba(sameOrder: boolean) {
  return synthetic(
    (exec) => ({ a: exec.newLock('A', 'mutex'), b: exec.newLock('B', 'mutex') }),
    {
      t0: (thread, w) => take({ thread }, w.a, w.b),
      t1: (thread, w) => (sameOrder ? take({ thread }, w.a, w.b) : take({ thread }, w.b, w.a)),
    },
  );
}

describe('deadlock checker', () => {
  it('finds the AB-BA deadlock and names the wait-for cycle and stacks', () => {
    const r = checkDfs(abba(false));
    expect(r.complete).toBe(true);
    expect(kinds(r)).toEqual(['deadlock']);
    const f = r.findings[0]!;
    expect(f.detail).toContain('wait-for cycle: t0 -> t1 -> t0');
    expect(f.threads.map((t) => t.waitingFor?.lock).sort()).toEqual(['A', 'B']);
    expect(f.threads[0]!.stack).toEqual(['take']);
    expect(r.statuses.deadlock).toBeGreaterThan(0);
    expect(r.statuses.done).toBeGreaterThan(0);
  });

  it('twin: the same locks taken in one order never deadlock', () => {
    const r = checkDfs(abba(true));
    expect(r.complete).toBe(true);
    expect(r.findings).toEqual([]);
  });

  it('finds a thread blocking on a lock it already holds', () => {
    const p = synthetic((exec) => exec.newLock('L', 'mutex'), {
      solo: function* (_t, l) {
        yield* acquire(l);
        yield* acquire(l);
      },
    });
    const r = checkDfs(p);
    expect(kinds(r)).toEqual(['deadlock']);
    expect(r.findings[0]!.title).toContain('which it already holds');
  });

  it('tells two deadlocks of one thread on one lock apart by where it waits (issue 16, item 2)', () => {
    // Which function takes the lock a second time depends on the order: two deadlocks, one title each.
    const again = (name: string) =>
      traced(name, function* (_o: { thread: Thread }, l: Lock): Gen {
        yield* acquire(l);
      });
    const viaOpen = again('via_open');
    const viaClose = again('via_close');
    const p = synthetic((exec) => ({ l: exec.newLock('L', 'mutex'), m: exec.newLock('M', 'mutex'), flag: { first: '' } }), {
      a: function* (thread, w) {
        yield* acquire(w.m);
        if (w.flag.first === '') w.flag.first = 'a';
        yield* release(w.m);
      },
      solo: function* (thread, w) {
        yield* acquire(w.m);
        const first = w.flag.first === '';
        yield* release(w.m);
        yield* acquire(w.l);
        yield* (first ? viaOpen({ thread }, w.l) : viaClose({ thread }, w.l));
      },
    });
    const titles = checkDfs(p).findings.filter((f) => f.kind === 'deadlock').map((f) => f.title);
    expect(titles).toHaveLength(2);
    expect(new Set(titles).size).toBe(2);
    expect(titles.some((t) => t.includes('(in via_open)'))).toBe(true);
  });
});
