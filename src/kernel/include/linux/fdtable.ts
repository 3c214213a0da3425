/** include/linux/fdtable.h — a process's file table, shared by its threads (CLONE_FILES). */
import type { Counter } from '../../../rt/counter.js';
import type { Tracked } from '../../../rt/object.js';
import type { file } from './fs.js';

/** The per-process limit (RLIMIT_NOFILE's usual soft value). */
export const NR_OPEN_DEFAULT = 1024;

/**
 * The table is three kinds of state, as the kernel's is: the share count
 * (files->count, an atomic_t of its own), the allocation state (open_fds,
 * under file_lock: this object) and one slot per fd number (fdt->fd[n], a
 * tracked object each). A lookup of fd 5 and an install at fd 6 touch
 * different slots and commute; allocating a number touches open_fds; a
 * lookup reads the share count (__fget_light), which only fork and exit
 * change — so a lookup commutes with allocating and closing other numbers.
 */
export interface files_struct extends Tracked {
  /** Tasks sharing the table (atomic_t count). */
  readonly count: Counter;
  /** fdt->fd[]: the installed files. */
  readonly fd: (file | null)[];
  /** fdt->open_fds: numbers reserved (installed, or allocated and not yet installed). */
  readonly open_fds: boolean[];
  /** The tracked object standing for fdt->fd[n], made on first use. */
  readonly slots: Tracked[];
}

/** Flags of a `struct fd` from fdget(): whether fdput must drop a reference. */
export const FDPUT_FPUT = 1;

export interface fd {
  readonly file: file | null;
  readonly flags: number;
}
