/**
 * include/linux/refcount.h — refcount_t over a runtime counter. Misuse is
 * reported as the kernel's refcount_warn_saturate() would: the counter
 * saturates (so the object is never freed again: a leak, not a use after
 * free) and the operation carries a fault the lifecycle checker reports.
 */
import { counterOp } from '../../../rt/api.js';
import type { Counter } from '../../../rt/counter.js';
import type { Execution } from '../../../rt/execution.js';
import type { Gen } from '../../../rt/ops.js';
import { BLIND_DEC as DEC, BLIND_INC as INC, REFCOUNT_SATURATED } from './atomic.js';

export { REFCOUNT_SATURATED };

export type refcount_t = Counter;

export function refcount_init(exec: Execution, name: string, n: number): refcount_t {
  return exec.newCounter(name, n);
}

function saturated(v: number): boolean {
  return v >= REFCOUNT_SATURATED;
}

export function* refcount_inc(r: refcount_t): Gen {
  yield* counterOp(r, 'inc', (v) =>
    v === 0
      ? { value: REFCOUNT_SATURATED, result: undefined, fault: 'increment-from-zero' as const }
      : { value: saturated(v) ? v : v + 1, result: undefined },
    { ...INC, result: undefined },
  );
}

/** Increments unless the count is zero; returns whether it did. */
export function* refcount_inc_not_zero(r: refcount_t): Gen<boolean> {
  return yield* counterOp(r, 'inc_not_zero', (v) =>
    v === 0 ? { value: 0, result: false } : { value: saturated(v) ? v : v + 1, result: true },
    { ...INC, result: true },
  );
}

/** Decrements; returns true when the count reached zero (the caller frees). */
export function* refcount_dec_and_test(r: refcount_t): Gen<boolean> {
  return yield* counterOp(r, 'dec_and_test', (v) => {
    if (saturated(v)) return { value: v, result: false };
    if (v <= 0) return { value: REFCOUNT_SATURATED, result: false, fault: 'underflow' as const };
    return { value: v - 1, result: v === 1 };
  }, { ...DEC, result: false });
}

/** Decrements a count that must not reach zero here. */
export function* refcount_dec(r: refcount_t): Gen {
  yield* counterOp(r, 'dec', (v) => {
    if (saturated(v)) return { value: v, result: undefined };
    if (v <= 1) return { value: REFCOUNT_SATURATED, result: undefined, fault: 'underflow' as const };
    return { value: v - 1, result: undefined };
  }, { ...DEC, result: undefined });
}

export function* refcount_read(r: refcount_t): Gen<number> {
  return yield* counterOp(r, 'read', (v) => ({ value: v, result: v }));
}
