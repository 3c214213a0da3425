import type { Counter } from './counter.js';
import type { Lock } from './lock.js';
import type { Access, Tracked } from './object.js';

/**
 * A visible operation: the only points where a thread yields to the scheduler.
 * Everything a thread does between two visible operations runs atomically,
 * which is sound for data-race-free code (the model's locking is the kernel's).
 *
 * Each operation names the one object it touches and how (read or write), which
 * is all the explorer needs to decide whether two operations commute.
 */
export type Visible =
  /** Blocking acquire: enabled only while the lock is free. */
  | { readonly kind: 'lock'; readonly lock: Lock; readonly subclass: number }
  /** Non-blocking acquire; resumes with `true` if the lock was taken. */
  | { readonly kind: 'trylock'; readonly lock: Lock }
  | { readonly kind: 'unlock'; readonly lock: Lock }
  /** An atomic read-modify-write of a counter; resumes with `apply`'s result. */
  | {
      readonly kind: 'counter';
      readonly counter: Counter;
      readonly op: string;
      readonly apply: (value: number) => CounterUpdate;
      /** Where the operation is a blind add (commuting atomics: see `Blind`). */
      readonly blind?: Blind;
    }
  /**
   * Any other atomic action on one object (a marked shared-field access, a
   * list mutation, a free); resumes with `apply`'s result.
   */
  | {
      readonly kind: 'atomic';
      readonly obj: Tracked;
      readonly access: Access;
      readonly label: string;
      readonly apply: () => unknown;
      /**
       * Further objects the same atomic action touches (a critical section
       * collapsed into one operation that updates several things).
       */
      readonly also?: readonly { readonly obj: Tracked; readonly access: Access }[];
    }
  /** Frees a tracked object (kfree, for the kernel model); a write to it. */
  | { readonly kind: 'free'; readonly obj: Tracked }
  /** Blocks until `ready()` holds (a completion, a wait queue). */
  | { readonly kind: 'wait'; readonly obj: Tracked; readonly label: string; readonly ready: () => boolean };

/**
 * A counter operation's declared blind range: for every value in
 * [`from`, `below`) it adds `delta`, returns `result` and faults nowhere — an
 * `atomic_inc`, or a value-returning RMW away from its boundary (a
 * `refcount_dec_and_test` that does not reach zero). There two such
 * operations commute, which is what lets the explorer leave their order out
 * (explore/counters.ts says when exactly). `order` is the memory ordering the
 * operation has there, in LKMM's terms: `relaxed` (none: `refcount_inc`) or
 * `release` (`refcount_dec_and_test` that returns false); outside the range
 * the operation is fully ordered. The runtime checks the declaration against
 * `apply` at every value an explored execution meets in the range: a model
 * whose declaration lies stops with an internal error, never a wrong proof.
 */
export interface Blind {
  readonly delta: number;
  readonly from: number;
  readonly below: number;
  readonly result: unknown;
  readonly order: 'relaxed' | 'release';
}

/**
 * What a counter operation did: the new value, what the caller gets back, and
 * whether the operation was a misuse the primitive detected (the kernel's
 * refcount_t warns on both).
 */
export interface CounterUpdate {
  readonly value: number;
  readonly result: unknown;
  readonly fault?: CounterFault;
}

export type CounterFault = 'underflow' | 'increment-from-zero';

/** A model routine: a generator yielding visible operations, resumed with their results. */
export type Gen<R = void> = Generator<Visible, R, unknown>;
