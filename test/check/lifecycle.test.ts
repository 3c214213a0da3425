import { describe, expect, it } from 'vitest';
import { acquire, atomic, counterOp, free, release } from '../../src/rt/api.js';
import type { Counter } from '../../src/rt/counter.js';
import type { Gen } from '../../src/rt/ops.js';
import { checkDfs, kinds, synthetic } from '../helpers/synthetic.js';

function* put(c: Counter): Gen<boolean> {
  return yield* counterOp(c, 'dec_and_test', (v) =>
    v <= 0 ? { value: v, result: false, fault: 'underflow' as const } : { value: v - 1, result: v === 1 },
  );
}

describe('lifecycle checker', () => {
  // The owner drops the last reference and frees; a reader that reads without
  // taking a reference of its own touches freed memory when the owner ran first
  // (ordered by the lock: not a data race). The twin takes a reference first.
  function uaf(safe: boolean) {
    return synthetic(
      (exec) => ({ lock: exec.newLock('L', 'mutex'), refs: exec.newCounter('refs', 1), obj: exec.alloc('struct thing', { value: 1 }) }),
      {
        owner: function* (_t, w) {
          yield* acquire(w.lock);
          if (yield* put(w.refs)) yield* free(w.obj);
          yield* release(w.lock);
        },
        reader: function* (_t, w) {
          yield* acquire(w.lock);
          if (!safe) {
            void w.obj.value;
            yield* release(w.lock);
            return;
          }
          const got = yield* counterOp(w.refs, 'inc_not_zero', (v) =>
            v === 0 ? { value: 0, result: false } : { value: v + 1, result: true },
          );
          yield* release(w.lock);
          if (!got) return;
          void w.obj.value;
          yield* acquire(w.lock);
          if (yield* put(w.refs)) yield* free(w.obj);
          yield* release(w.lock);
        },
      },
    );
  }

  it('finds a use after free in some interleaving', () => {
    const r = checkDfs(uaf(false));
    expect(kinds(r)).toEqual(['use-after-free']);
    const f = r.findings[0]!;
    expect(f.objects[0]!.kind).toBe('struct thing');
    expect(f.objects[0]!.freeThread).toBe('owner');
    expect(f.threads[0]!.name).toBe('reader');
    expect(r.executionsWithFindings).toBeLessThan(r.executions);
  });

  it('twin: a reader holding its own reference never touches freed memory', () => {
    const r = checkDfs(uaf(true));
    expect(r.complete).toBe(true);
    expect(r.findings).toEqual([]);
  });

  it('finds a double free, and the twin that frees once stays clean', () => {
    const mk = (twice: boolean) =>
      synthetic((exec) => exec.alloc('struct thing', { v: 0 }), {
        t: function* (_t, o) {
          yield* free(o);
          if (twice) yield* free(o);
        },
      });
    expect(kinds(checkDfs(mk(true)))).toEqual(['double-free']);
    expect(checkDfs(mk(false)).findings).toEqual([]);
  });

  it('finds a refcount underflow; balanced puts stay clean', () => {
    const mk = (puts: number) =>
      synthetic((exec) => exec.newCounter('refs', 2), {
        a: function* (_t, c) {
          for (let i = 0; i < puts; i++) yield* put(c);
        },
      });
    expect(kinds(checkDfs(mk(3)))).toEqual(['refcount-underflow']);
    expect(checkDfs(mk(2)).findings).toEqual([]);
  });

  it('finds an increment from zero; increments of live counts are clean', () => {
    const mk = (start: number) =>
      synthetic((exec) => exec.newCounter('refs', start), {
        a: function* (_t, c) {
          yield* counterOp(c, 'inc', (v) => (v === 0 ? { value: 1, result: undefined, fault: 'increment-from-zero' as const } : { value: v + 1, result: undefined }));
        },
      });
    expect(kinds(checkDfs(mk(0)))).toEqual(['refcount-increment-from-zero']);
    expect(checkDfs(mk(1)).findings).toEqual([]);
  });

  it('finds a leak when an owned object outlives every thread; freeing it is clean', () => {
    const mk = (freeIt: boolean) =>
      synthetic((exec) => ({ exec }), {
        a: function* (t) {
          const o = t.exec.alloc('struct thing', { v: 0 });
          yield* atomic(o, 'write', 'touch', () => undefined);
          if (freeIt) yield* free(o);
        },
      });
    const leak = checkDfs(mk(false));
    expect(kinds(leak)).toEqual(['leak']);
    expect(leak.findings[0]!.objects[0]!.allocThread).toBe('a');
    expect(checkDfs(mk(true)).findings).toEqual([]);
  });
});
