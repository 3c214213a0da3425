/** include/linux/spinlock.h — non-sleeping locks (held with preemption off). */
import { acquire, release, traced } from '../../../rt/api.js';
import type { Execution } from '../../../rt/execution.js';
import type { Lock } from '../../../rt/lock.js';
import type { Gen } from '../../../rt/ops.js';
import type { task_struct } from './sched.js';

export type spinlock_t = Lock;

export function spin_lock_init(exec: Execution, cls: string): spinlock_t {
  return exec.newLock(cls, 'spinlock');
}

export const spin_lock = traced('spin_lock', function* (_current: task_struct, lock: spinlock_t): Gen {
  yield* acquire(lock);
});

export function* spin_unlock(_current: task_struct, lock: spinlock_t): Gen {
  yield* release(lock);
}
