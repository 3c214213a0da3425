/** include/linux/fs.h — struct file and file_operations, as far as the model needs them. */
import type { Counter } from '../../../rt/counter.js';
import type { Tracked } from '../../../rt/object.js';
import type { Gen } from '../../../rt/ops.js';
import type { task_struct } from './sched.js';
import type { ioctl_arg } from './uaccess.js';

export const O_RDWR = 0o2;
export const O_CLOEXEC = 0o2000000;

/** The device a char-device inode stands for; anon inodes have none. */
export interface inode {
  readonly name: string;
  readonly i_private: unknown;
}

export interface file_operations {
  /** The kernel's name for the table, e.g. "kvm_vm_fops". */
  readonly name: string;
  readonly open?: (current: task_struct, inode: inode, filp: file) => Gen<number>;
  readonly release?: (current: task_struct, inode: inode, filp: file) => Gen<number>;
  readonly unlocked_ioctl?: (current: task_struct, filp: file, cmd: number, arg: ioctl_arg) => Gen<number>;
}

export interface file extends Tracked {
  /** atomic_long_t f_count. */
  readonly f_count: Counter;
  readonly f_op: file_operations;
  readonly f_inode: inode;
  readonly f_flags: number;
  private_data: unknown;
  /** What /proc/self/fd shows, e.g. "/dev/kvm" or "anon_inode:kvm-vfio". */
  readonly path: string;
}
