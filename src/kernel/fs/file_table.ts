/**
 * fs/file_table.c — allocation and the final put of a struct file. The last
 * fput does not release the file at once: it queues ____fput as task work,
 * which runs when the task returns to user space (or in exit_task_work), in
 * that task, with no locks held.
 */
import { counterOp, traced } from '../../rt/api.js';
import type { Execution } from '../../rt/execution.js';
import type { Gen } from '../../rt/ops.js';
import { WARN_ON } from '../include/linux/bug.js';
import type { file, file_operations, inode } from '../include/linux/fs.js';
import type { task_struct } from '../include/linux/sched.js';
import { kfree } from '../include/linux/slab.js';
import { task_work_add } from '../kernel/task_work.js';
import { BLIND_DEC, BLIND_INC } from '../include/linux/atomic.js';

/** alloc_file: a new file with one reference (the caller's). Takes the execution: a process's stdio files exist before any task runs. */
export function alloc_file(
  exec: Execution,
  path: string,
  fops: file_operations,
  ino: inode,
  flags: number,
  private_data: unknown,
): file {
  return exec.alloc('struct file', {
    f_count: exec.newCounter(`f_count of ${path}`, 1),
    f_op: fops,
    f_inode: ino,
    f_flags: flags,
    private_data,
    path,
  });
}

/** get_file: one more reference on a file the caller already holds. */
export function* get_file(f: file): Gen {
  yield* counterOp(f.f_count, 'inc', (v) =>
    v === 0 ? { value: 1, result: undefined, fault: 'increment-from-zero' as const } : { value: v + 1, result: undefined },
  { ...BLIND_INC, result: undefined });
}

/** __fput: the file's release, then the file itself is freed. */
export const __fput = traced('__fput', function* (current: task_struct, f: file): Gen {
  const release = f.f_op.release;
  if (release !== undefined) yield* release(current, f.f_inode, f);
  yield* kfree(current, f);
});

const ____fput = traced('____fput', function* (current: task_struct, f: file): Gen {
  yield* __fput(current, f);
});

export const fput = traced('fput', function* (current: task_struct, f: file): Gen {
  const last = yield* counterOp(f.f_count, 'dec_and_test', (v) =>
    v <= 0 ? { value: v, result: false, fault: 'underflow' as const } : { value: v - 1, result: v === 1 },
  { ...BLIND_DEC, result: false });
  if (!last) return;
  if (!current.work_exited) {
    task_work_add(current, { func: (cur) => ____fput(cur, f) });
    return;
  }
  // After exit_task_work the kernel hands the file to delayed_fput (a
  // workqueue); no path in the model gets here.
  WARN_ON(current, true, 'fput after exit_task_work');
  yield* __fput(current, f);
});
