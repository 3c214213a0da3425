/** fs/open.c — open(2) of a device node and close(2). */
import { traced } from '../../rt/api.js';
import type { Gen } from '../../rt/ops.js';
import { ERRNO } from '../include/uapi/asm-generic/errno.js';
import { O_RDWR, type file } from '../include/linux/fs.js';
import type { task_struct } from '../include/linux/sched.js';
import { kfree } from '../include/linux/slab.js';
import { fd_install, get_unused_fd_flags, pick_file, put_unused_fd } from './file.js';
import { alloc_file, fput } from './file_table.js';

/**
 * do_sys_open of a device node: look the path up among the registered char
 * devices (-ENOENT if none), reserve an fd, create the file and call the
 * driver's open; a failed open frees the file without calling release.
 */
export const do_sys_open = traced('do_sys_open', function* (current: task_struct, path: string): Gen<number> {
  const dev = current.machine.chrdevs.get(path);
  if (dev === undefined) return -ERRNO.ENOENT;
  const fd = yield* get_unused_fd_flags(current, O_RDWR);
  if (fd < 0) return fd;
  const f = alloc_file(current.thread.exec, path, dev.fops, dev.inode, O_RDWR, null);
  const open = dev.fops.open;
  if (open !== undefined) {
    const err = yield* open(current, dev.inode, f);
    if (err < 0) {
      yield* kfree(current, f);
      yield* put_unused_fd(current, fd);
      return err;
    }
  }
  yield* fd_install(current, fd, f);
  return fd;
});

/** filp_close: what close(2) and exit do with each file (flush, then drop the table's reference). */
export const filp_close = traced('filp_close', function* (current: task_struct, f: file): Gen<number> {
  yield* fput(current, f);
  return 0;
});

export const close_fd = traced('close_fd', function* (current: task_struct, fd: number): Gen<number> {
  const f = yield* pick_file(current, fd);
  if (f === null) return -ERRNO.EBADF;
  return yield* filp_close(current, f);
});
