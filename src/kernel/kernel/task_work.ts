/**
 * kernel/task_work.c — callbacks a task runs on its way back to user space.
 * The list is LIFO: c82199061009 ("task_work: remove fifo ordering guarantee",
 * v4.3) dropped the reversal, so the newest work runs first. Works queued
 * while the batch runs form the next batch.
 */
import { traced } from '../../rt/api.js';
import type { Gen } from '../../rt/ops.js';
import type { callback_head, task_struct } from '../include/linux/sched.js';

export function task_work_add(current: task_struct, work: callback_head): void {
  current.task_works.unshift(work);
}

export const task_work_run = traced('task_work_run', function* (current: task_struct): Gen {
  while (current.task_works.length > 0) {
    const batch = current.task_works;
    current.task_works = [];
    for (const work of batch) yield* work.func(current);
  }
});
