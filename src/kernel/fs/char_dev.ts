/** fs/char_dev.c, reduced to what open(2) needs: device nodes by path. */
import type { file_operations, inode } from '../include/linux/fs.js';

export interface chrdev {
  readonly fops: file_operations;
  readonly inode: inode;
}

/** Registers `fops` behind the device node `path` (what a driver's misc/cdev registration achieves). */
export function register_chrdev_path(
  table: Map<string, chrdev>,
  path: string,
  fops: file_operations,
  i_private: unknown = null,
): void {
  table.set(path, { fops, inode: { name: path, i_private } });
}
