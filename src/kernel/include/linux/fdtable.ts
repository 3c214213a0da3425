/** include/linux/fdtable.h — a process's file table, shared by its threads (CLONE_FILES). */
import type { Tracked } from '../../../rt/object.js';
import type { file } from './fs.js';

/** The per-process limit (RLIMIT_NOFILE's usual soft value). */
export const NR_OPEN_DEFAULT = 1024;

export interface files_struct extends Tracked {
  /**
   * Tasks sharing the table (atomic_t count). Kept inside the table's own
   * record: every access to the table is one visible operation on it.
   */
  count: number;
  /** fdt->fd[]: the installed files. */
  readonly fd: (file | null)[];
  /** fdt->open_fds: numbers reserved (installed, or allocated and not yet installed). */
  readonly open_fds: boolean[];
}

/** Flags of a `struct fd` from fdget(): whether fdput must drop a reference. */
export const FDPUT_FPUT = 1;

export interface fd {
  readonly file: file | null;
  readonly flags: number;
}
