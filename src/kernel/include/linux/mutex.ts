/**
 * include/linux/mutex.h — sleeping, non-recursive, owner-tracked locks. The
 * class name is the declaration the kernel's lockdep would print, e.g.
 * "&kvm->lock".
 */
import { acquire, release, traced, tryAcquire } from '../../../rt/api.js';
import type { Execution } from '../../../rt/execution.js';
import type { Lock } from '../../../rt/lock.js';
import type { Gen } from '../../../rt/ops.js';
import type { task_struct } from './sched.js';

export type mutex = Lock;

export function mutex_init(exec: Execution, cls: string): mutex {
  return exec.newLock(cls, 'mutex');
}

export const mutex_lock = traced('mutex_lock', function* (_current: task_struct, lock: mutex): Gen {
  yield* acquire(lock);
});

/** mutex_lock with a lockdep subclass, for legal nesting of one class. */
export const mutex_lock_nested = traced(
  'mutex_lock_nested',
  function* (_current: task_struct, lock: mutex, subclass: number): Gen {
    yield* acquire(lock, subclass);
  },
);

/** Returns 1 if the lock was taken, 0 if it is held. */
export function* mutex_trylock(_current: task_struct, lock: mutex): Gen<number> {
  return (yield* tryAcquire(lock)) ? 1 : 0;
}

export function* mutex_unlock(_current: task_struct, lock: mutex): Gen {
  yield* release(lock);
}

/** lockdep_assert_held: warns unless the current task holds `lock`. */
export function lockdep_assert_held(current: task_struct, lock: Lock): void {
  if (lock.owner !== current.thread) current.thread.exec.warn(`lockdep_assert_held(${lock.cls}) failed`);
}
