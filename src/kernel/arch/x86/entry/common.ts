/**
 * arch/x86/entry/common.c + kernel/entry/common.c — a system call from entry to
 * the return to user space, where pending task work (final fputs) runs.
 */
import { traced } from '../../../../rt/api.js';
import type { Gen } from '../../../../rt/ops.js';
import { ksys_dup } from '../../../fs/file.js';
import { __x64_sys_ioctl } from '../../../fs/ioctl.js';
import { close_fd, do_sys_open } from '../../../fs/open.js';
import type { task_struct } from '../../../include/linux/sched.js';
import type { ioctl_arg } from '../../../include/linux/uaccess.js';
import { task_work_run } from '../../../kernel/task_work.js';

/** The system calls the model implements, with their arguments already in kernel form. */
export type syscall_req =
  | { readonly nr: 'open'; readonly path: string }
  | { readonly nr: 'close'; readonly fd: number }
  | { readonly nr: 'dup'; readonly fd: number }
  | { readonly nr: 'ioctl'; readonly fd: number; readonly cmd: number; readonly arg: ioctl_arg };

const __x64_sys_openat = traced('__x64_sys_openat', function* (current: task_struct, path: string): Gen<number> {
  return yield* do_sys_open(current, path);
});

const __x64_sys_close = traced('__x64_sys_close', function* (current: task_struct, fd: number): Gen<number> {
  return yield* close_fd(current, fd);
});

const __x64_sys_dup = traced('__x64_sys_dup', function* (current: task_struct, fd: number): Gen<number> {
  return yield* ksys_dup(current, fd);
});

/** syscall_exit_to_user_mode: run pending task work before user space sees the result. */
export const syscall_exit_to_user_mode = traced('syscall_exit_to_user_mode', function* (current: task_struct): Gen {
  if (current.task_works.length > 0) yield* task_work_run(current);
});

function* dispatch(current: task_struct, req: syscall_req): Gen<number> {
  switch (req.nr) {
    case 'open':
      return yield* __x64_sys_openat(current, req.path);
    case 'close':
      return yield* __x64_sys_close(current, req.fd);
    case 'dup':
      return yield* __x64_sys_dup(current, req.fd);
    case 'ioctl':
      return yield* __x64_sys_ioctl(current, req.fd, req.cmd, req.arg);
  }
}

/** do_syscall_64: the call, then the return to user space. Returns the raw result (≥ 0 or -errno). */
export const do_syscall_64 = traced('do_syscall_64', function* (current: task_struct, req: syscall_req): Gen<number> {
  const ret = yield* dispatch(current, req);
  yield* syscall_exit_to_user_mode(current);
  return ret;
});
