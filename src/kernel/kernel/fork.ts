/** kernel/fork.c — the part of fork(2) the model needs: a new mm and a copy of the file table. */
import { traced } from '../../rt/api.js';
import type { Gen } from '../../rt/ops.js';
import type { files_struct } from '../include/linux/fdtable.js';
import type { mm_struct, task_struct } from '../include/linux/sched.js';
import { new_mm } from '../machine.js';
import { dup_fd } from '../fs/file.js';

export interface forked {
  readonly pid: number;
  readonly files: files_struct;
  readonly mm: mm_struct;
}

/** copy_process without CLONE_FILES / CLONE_VM: the child gets its own mm and a copy of the fds. */
export const copy_process = traced('copy_process', function* (current: task_struct): Gen<forked> {
  const files = yield* dup_fd(current);
  // The child's tasks take their shares of the table when they start.
  files.count.value = 0;
  return { pid: current.machine.nextPid++, files, mm: new_mm(current.machine) };
});
