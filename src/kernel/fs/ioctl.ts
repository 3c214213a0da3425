/** fs/ioctl.c — ioctl(2): look the fd up and hand the request to the file's unlocked_ioctl. */
import { traced } from '../../rt/api.js';
import type { Gen } from '../../rt/ops.js';
import { ERRNO } from '../include/uapi/asm-generic/errno.js';
import type { file } from '../include/linux/fs.js';
import type { task_struct } from '../include/linux/sched.js';
import type { ioctl_arg } from '../include/linux/uaccess.js';
import { fdget, fdput } from './file.js';

export const vfs_ioctl = traced(
  'vfs_ioctl',
  function* (current: task_struct, f: file, cmd: number, arg: ioctl_arg): Gen<number> {
    const handler = f.f_op.unlocked_ioctl;
    if (handler === undefined) return -ERRNO.ENOTTY;
    return yield* handler(current, f, cmd, arg);
  },
);

export const __x64_sys_ioctl = traced(
  '__x64_sys_ioctl',
  function* (current: task_struct, fd: number, cmd: number, arg: ioctl_arg): Gen<number> {
    const f = yield* fdget(current, fd);
    if (f.file === null) return -ERRNO.EBADF;
    const ret = yield* vfs_ioctl(current, f.file, cmd, arg);
    yield* fdput(current, f);
    return ret;
  },
);
