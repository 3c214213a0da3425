/**
 * fs/file.c — the file table: reserving and installing fd numbers, closing,
 * looking up, dup and the copy made by fork. Every table access is one visible
 * operation on the table (the kernel's file_lock / RCU lookup, collapsed: no
 * other lock is taken inside those critical sections).
 */
import { atomic, atomicMany, counterOp, traced } from '../../rt/api.js';
import type { Tracked } from '../../rt/object.js';
import type { Gen } from '../../rt/ops.js';
import { ERRNO } from '../include/uapi/asm-generic/errno.js';
import { FDPUT_FPUT, NR_OPEN_DEFAULT, type fd, type files_struct } from '../include/linux/fdtable.js';
import type { file } from '../include/linux/fs.js';
import type { task_struct } from '../include/linux/sched.js';
import { fput, get_file } from './file_table.js';
import { BLIND_INC } from '../include/linux/atomic.js';

function table(current: task_struct): files_struct {
  const files = current.files;
  if (files === null) throw new Error(`${current.comm}: file table used after exit_files`);
  return files;
}

/** Creates an empty table for a new process. */
export function alloc_files(current: task_struct | null, exec: task_struct['thread']['exec']): files_struct {
  void current;
  return exec.alloc('struct files_struct', {
    count: exec.newCounter('files->count', 1),
    fd: [] as (file | null)[],
    open_fds: [] as boolean[],
    slots: [] as Tracked[],
  });
}

/** The object standing for fdt->fd[n] (numbers outside the table share the table object: nothing is there). */
function slot(current: task_struct, files: files_struct, n: number): Tracked {
  if (n < 0 || n >= NR_OPEN_DEFAULT) return files;
  let s = files.slots[n];
  if (s === undefined) {
    s = current.thread.exec.alloc('fd slot', { n }, false);
    files.slots[n] = s;
  }
  return s;
}

/** Reserves the lowest free fd number, or returns -EMFILE. */
export function* get_unused_fd_flags(current: task_struct, _flags: number): Gen<number> {
  const files = table(current);
  return yield* atomic(files, 'write', 'alloc_fd', () => {
    let n = 0;
    while (files.open_fds[n] === true) n++;
    if (n >= NR_OPEN_DEFAULT) return -ERRNO.EMFILE;
    files.open_fds[n] = true;
    return n;
  });
}

export function* put_unused_fd(current: task_struct, n: number): Gen {
  const files = table(current);
  yield* atomic(files, 'write', 'put_unused_fd', () => {
    files.open_fds[n] = false;
  });
}

/** Publishes `filp` at the reserved number `n`; the table now owns the caller's reference. */
export function* fd_install(current: task_struct, n: number, filp: file): Gen {
  const files = table(current);
  yield* atomic(slot(current, files, n), 'write', 'fd_install', () => {
    files.fd[n] = filp;
  });
}

/** Removes fd `n` from the table and returns its file (the table's reference moves to the caller). */
export function* pick_file(current: task_struct, n: number): Gen<file | null> {
  const files = table(current);
  const write = [{ obj: slot(current, files, n), access: 'write' as const }, { obj: files, access: 'write' as const }] as const;
  return yield* atomicMany(write, 'pick_file', () => {
    const f = n >= 0 ? (files.fd[n] ?? null) : null;
    if (f !== null) {
      files.fd[n] = null;
      files.open_fds[n] = false;
    }
    return f;
  });
}

/** fget: the file at `n` with a new reference, or null (EBADF). */
export const fget = traced('fget', function* (current: task_struct, n: number): Gen<file | null> {
  const files = table(current);
  for (;;) {
    // Under rcu_read_lock: the file and its count are read in the lookup (a
    // struct file is freed only after a grace period, so reading its count is
    // safe even while another task's final fput is under way).
    const found = yield* atomic(slot(current, files, n), 'read', 'fd lookup', () => {
      const f = n >= 0 ? (files.fd[n] ?? null) : null;
      return f === null ? null : { f, count: f.f_count };
    });
    if (found === null) return null;
    // get_file_rcu: the file may be on its way out; look again if so.
    const got = yield* counterOp(found.count, 'inc_not_zero', (v) =>
      v === 0 ? { value: 0, result: false } : { value: v + 1, result: true },
    { ...BLIND_INC, result: true });
    if (got) return found.f;
  }
});

/**
 * fdget: like fget, but a table no other task shares needs no reference (the
 * file cannot be closed under us).
 */
export function* fdget(current: task_struct, n: number): Gen<fd> {
  const files = table(current);
  // __fget_light: the share count and, when nobody else can close it, the slot.
  const read = [{ obj: files.count, access: 'read' as const }, { obj: slot(current, files, n), access: 'read' as const }] as const;
  const light = yield* atomicMany(read, 'fdget', () => (files.count.value > 1 ? undefined : n >= 0 ? (files.fd[n] ?? null) : null));
  if (light === undefined) {
    const f = yield* fget(current, n);
    return { file: f, flags: f === null ? 0 : FDPUT_FPUT };
  }
  return { file: light, flags: 0 };
}

export function* fdput(current: task_struct, f: fd): Gen {
  if ((f.flags & FDPUT_FPUT) !== 0 && f.file !== null) yield* fput(current, f.file);
}

/** ksys_dup: a new fd for the same file, at the lowest free number. */
export const ksys_dup = traced('ksys_dup', function* (current: task_struct, n: number): Gen<number> {
  const f = yield* fget(current, n);
  if (f === null) return -ERRNO.EBADF;
  const ret = yield* get_unused_fd_flags(current, 0);
  if (ret >= 0) yield* fd_install(current, ret, f);
  else yield* fput(current, f);
  return ret;
});

/** dup_fd (fork): a copy of the table; every file gains a reference. */
export const dup_fd = traced('dup_fd', function* (current: task_struct): Gen<files_struct> {
  const old = table(current);
  const everything = [{ obj: old, access: 'read' as const }, ...old.fd.map((_f, i) => ({ obj: slot(current, old, i), access: 'read' as const }))] as const;
  const snapshot = yield* atomicMany(everything, 'dup_fd', () => ({ fd: old.fd.slice(), open: old.open_fds.slice() }));
  const files = alloc_files(current, current.thread.exec);
  for (let i = 0; i < snapshot.fd.length; i++) {
    const f = snapshot.fd[i];
    if (f === null || f === undefined) continue;
    yield* get_file(f);
    files.fd[i] = f;
    files.open_fds[i] = true;
  }
  return files;
});
