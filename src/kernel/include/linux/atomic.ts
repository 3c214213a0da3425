/**
 * include/linux/atomic.h — where an atomic counter operation is a blind add
 * (rt/ops.ts `Blind`), for the counters the model keeps: refcount_t, the
 * files_struct's atomic_t count and the struct file's atomic_long_t f_count.
 *
 * Ordering there (Documentation/atomic_t.txt, core-api/refcount-vs-atomic.rst):
 * increments are unordered — refcount_inc and atomic_inc are, and an
 * inc_not_zero relies on RCU or a lock to keep the object, not on the count —
 * and decrements that do not reach zero are releases, as refcount_dec_and_test
 * is. A value-returning atomic_t/atomic_long_t operation is fully ordered in
 * LKMM; modelling it as refcount_t's weaker ordering in the blind range can
 * only report more data races, never fewer. Off the range (zero, one,
 * saturation) every operation stays fully ordered.
 */

/** REFCOUNT_SATURATED (refcount.h): INT_MIN / 2 as an unsigned value; no blind add reaches it. */
export const REFCOUNT_SATURATED = 0xc0000000;

/** An increment at one or more. */
export const BLIND_INC = { delta: 1, from: 1, below: REFCOUNT_SATURATED, order: 'relaxed' } as const;
/** A decrement that does not reach zero (or one, where reaching it would be a refcount_dec misuse). */
export const BLIND_DEC = { delta: -1, from: 2, below: REFCOUNT_SATURATED, order: 'release' } as const;
