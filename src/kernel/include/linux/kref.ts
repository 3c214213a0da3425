/** include/linux/kref.h — kref over refcount_t; the release callback runs in the putter's context. */
import type { Gen } from '../../../rt/ops.js';
import { refcount_dec_and_test, refcount_inc, type refcount_t } from './refcount.js';
import type { task_struct } from './sched.js';

export interface kref {
  readonly refcount: refcount_t;
}

export function* kref_get(k: kref): Gen {
  yield* refcount_inc(k.refcount);
}

/** Drops a reference; on the last one calls `release` synchronously. Returns 1 if it did. */
export function* kref_put(current: task_struct, k: kref, release: (current: task_struct) => Gen): Gen<number> {
  if (yield* refcount_dec_and_test(k.refcount)) {
    yield* release(current);
    return 1;
  }
  return 0;
}
