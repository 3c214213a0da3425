/** include/linux/slab.h — kzalloc/kfree as runtime allocations. */
import { free } from '../../../rt/api.js';
import type { Tracked } from '../../../rt/object.js';
import type { Gen } from '../../../rt/ops.js';
import type { task_struct } from './sched.js';

/**
 * Allocates a zeroed object of `kind` (a struct name) with the given fields.
 * Never fails in the model: GFP_KERNEL allocations of this size do not fail in
 * practice, and modelling -ENOMEM everywhere would only multiply paths.
 */
export function kzalloc<T extends object>(current: task_struct, kind: string, fields: T): T & Tracked {
  return current.thread.exec.alloc(kind, fields);
}

/** Frees `obj`; a visible operation (the object is written). */
export function* kfree(_current: task_struct, obj: Tracked): Gen {
  yield* free(obj);
}
