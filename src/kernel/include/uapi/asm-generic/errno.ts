/**
 * Linux errno values (include/uapi/asm-generic/errno-base.h and errno.h) for
 * the errors kvmsim's model can return. Model functions return them negated,
 * as the kernel does.
 */
export const ERRNO = {
  EPERM: 1,
  ENOENT: 2,
  ESRCH: 3,
  EIO: 5,
  EBADF: 9,
  ENOMEM: 12,
  EFAULT: 14,
  EBUSY: 16,
  EEXIST: 17,
  ENODEV: 19,
  EINVAL: 22,
  EMFILE: 24,
  ENOTTY: 25,
  ENOSPC: 28,
  ENXIO: 6,
  ENOSYS: 38,
  EBADFD: 77,
} as const;

export type ErrnoName = keyof typeof ERRNO;

const byValue = new Map<number, ErrnoName>(
  (Object.entries(ERRNO) as [ErrnoName, number][]).map(([k, v]) => [v, k]),
);

/** The name of a (positive) errno value, e.g. 16 → "EBUSY". */
export function errnoName(value: number): ErrnoName | undefined {
  return byValue.get(value);
}

/** Whether `name` is an errno kvmsim knows. */
export function isErrnoName(name: string): name is ErrnoName {
  return Object.hasOwn(ERRNO, name);
}
