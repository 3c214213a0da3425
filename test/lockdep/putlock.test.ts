// put-under-lock on synthetic programs: a counter whose final put runs a
// teardown that takes a lock; puts of it made under locks.
import { describe, expect, it } from 'vitest';
import { DeadlockChecker } from '../../src/check/deadlock.js';
import { DporStrategy } from '../../src/explore/dpor.js';
import { explore, type ExploreResult } from '../../src/explore/explore.js';
import { PutUnderLockChecker } from '../../src/lockdep/putlock.js';
import { LockdepChecker } from '../../src/lockdep/validator.js';
import { acquire, counterOp, free, release, traced } from '../../src/rt/api.js';
import type { Counter } from '../../src/rt/counter.js';
import type { Execution, Program } from '../../src/rt/execution.js';
import type { Lock } from '../../src/rt/lock.js';
import type { Tracked } from '../../src/rt/object.js';
import type { Gen } from '../../src/rt/ops.js';
import type { Thread } from '../../src/rt/thread.js';

interface World {
  refs: Counter;
  big: Lock;
  part: Tracked & { lock: Lock };
}

const destroy = traced('thing_destroy', function* (_o: { thread: Thread }, w: World, teardownTakes: 'big' | 'own'): Gen {
  const l = teardownTakes === 'big' ? w.big : w.part.lock;
  yield* acquire(l);
  yield* release(l);
  yield* free(w.part);
});

const put = traced('thing_put', function* (o: { thread: Thread }, w: World, teardownTakes: 'big' | 'own'): Gen {
  const last = yield* counterOp(w.refs, 'dec_and_test', (v) => ({ value: v - 1, result: v === 1 }));
  if (last) yield* destroy(o, w, teardownTakes);
});

/**
 * "user" puts its reference while holding `big`, then "owner" drops the last
 * one with nothing held; the teardown takes `big` (or a lock of the object
 * being freed). Run sequentially: nothing deadlocks.
 */
function program(userHoldsBig: boolean, teardownTakes: 'big' | 'own'): Program {
  return {
    start(exec: Execution): void {
      const w: World = {
        refs: exec.newCounter('thing->refs', 2),
        big: exec.newLock('&big_lock', 'mutex'),
        part: exec.alloc('struct part', { lock: exec.newLock('&part->lock', 'mutex') }, false),
      };
      exec.spawn('all', 'p', function* (t) {
        const o = { thread: t };
        if (userHoldsBig) yield* acquire(w.big);
        yield* put(o, w, teardownTakes);
        if (userHoldsBig) yield* release(w.big);
        yield* put(o, w, teardownTakes);
      });
    },
  };
}

function run(p: Program): ExploreResult {
  const ld = new LockdepChecker();
  return explore(p, { strategy: new DporStrategy(), checkers: [new DeadlockChecker(), ld, new PutUnderLockChecker(ld.graph)] });
}

describe('put-under-lock', () => {
  it('flags a non-final put under a lock that the final put\'s teardown takes, from a run that did not deadlock', () => {
    const r = run(program(true, 'big'));
    expect(r.statuses.deadlock).toBe(0);
    expect(r.findings.map((f) => f.kind)).toEqual(['put-under-lock']);
    const f = r.findings[0]!;
    expect(f.lockdep?.put?.counter).toBe('thing->refs');
    expect(f.lockdep?.put?.site).toEqual(['thing_put']);
    expect(f.lockdep?.put?.teardown).toEqual(['thing_put', 'thing_destroy']);
    expect(f.detail[0]).toContain('not the final one');
    expect(f.confirmation?.status).toBe('unreachable');
  });

  it('twin: the same teardown, no lock held at the put', () => {
    expect(run(program(false, 'big')).findings).toEqual([]);
  });

  it('twin: a teardown that only takes locks of the object it frees (nobody else can hold them)', () => {
    expect(run(program(true, 'own')).findings).toEqual([]);
  });
});
