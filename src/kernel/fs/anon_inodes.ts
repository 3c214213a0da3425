/** fs/anon_inodes.c — files with no device node behind them (VM fds, device fds). */
import { traced } from '../../rt/api.js';
import type { Gen } from '../../rt/ops.js';
import type { file, file_operations, inode } from '../include/linux/fs.js';
import type { task_struct } from '../include/linux/sched.js';
import { fd_install, get_unused_fd_flags } from './file.js';
import { alloc_file } from './file_table.js';

const anon_inode: inode = { name: 'anon_inode', i_private: null };

export function anon_inode_getfile(
  current: task_struct,
  name: string,
  fops: file_operations,
  priv: unknown,
  flags: number,
): file {
  return alloc_file(current.thread.exec, `anon_inode:${name}`, fops, anon_inode, flags, priv);
}

/** anon_inode_getfd: reserve an fd, create the file, install it; the file takes over the caller's reference on `priv`'s owner. */
export const anon_inode_getfd = traced(
  'anon_inode_getfd',
  function* (current: task_struct, name: string, fops: file_operations, priv: unknown, flags: number): Gen<number> {
    const fd = yield* get_unused_fd_flags(current, flags);
    if (fd < 0) return fd;
    const f = anon_inode_getfile(current, name, fops, priv, flags);
    yield* fd_install(current, fd, f);
    return fd;
  },
);
