/**
 * kernel/exit.c — do_exit as far as files go: exit_files drops the task's
 * share of its file table; the last share closes every fd in ascending order
 * (close_files), each final fput queueing its release as task work; then
 * exit_task_work runs that work (LIFO) and refuses any more.
 */
import { counterOp, traced } from '../../rt/api.js';
import type { Gen } from '../../rt/ops.js';
import type { files_struct } from '../include/linux/fdtable.js';
import type { task_struct } from '../include/linux/sched.js';
import { kfree } from '../include/linux/slab.js';
import { filp_close } from '../fs/open.js';
import { task_work_run } from './task_work.js';
import { BLIND_DEC } from '../include/linux/atomic.js';

const close_files = traced('close_files', function* (current: task_struct, files: files_struct): Gen {
  for (let i = 0; i < files.fd.length; i++) {
    const f = files.fd[i];
    if (f === null || f === undefined) continue;
    files.fd[i] = null;
    files.open_fds[i] = false;
    yield* filp_close(current, f);
  }
});

const put_files_struct = traced('put_files_struct', function* (current: task_struct, files: files_struct): Gen {
  // atomic_dec_and_test(&files->count): a plain atomic_t, no refcount_t checks.
  const last = yield* counterOp(files.count, 'dec_and_test', (v) => ({ value: v - 1, result: v === 1 }), { ...BLIND_DEC, result: false });
  if (!last) return;
  yield* close_files(current, files);
  yield* kfree(current, files);
});

const exit_files = traced('exit_files', function* (current: task_struct): Gen {
  const files = current.files;
  if (files === null) return;
  current.files = null;
  yield* put_files_struct(current, files);
});

const exit_task_work = traced('exit_task_work', function* (current: task_struct): Gen {
  yield* task_work_run(current);
  current.work_exited = true;
});

export const do_exit = traced('do_exit', function* (current: task_struct): Gen {
  yield* exit_files(current);
  yield* exit_task_work(current);
});
