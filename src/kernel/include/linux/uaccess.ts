/**
 * include/linux/uaccess.h — user memory as the model sees it: typed values a
 * pointer may point at, or a pointer the kernel cannot read (EFAULT).
 */

/** What a readable user pointer points at. */
export type user_mem =
  | { readonly kind: 'i32'; readonly value: number }
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'kvm_create_device'; readonly type: number; fd: number; readonly flags: number }
  | {
      readonly kind: 'kvm_device_attr';
      readonly flags: number;
      readonly group: number;
      readonly attr: number;
      readonly addr: user_ptr;
    };

/** A `void __user *`: NULL, unreadable, or pointing at typed memory. */
export type user_ptr =
  | { readonly kind: 'null' }
  | { readonly kind: 'bad' }
  | { readonly kind: 'mem'; readonly mem: user_mem };

/** An ioctl's `unsigned long arg`: a plain integer, or a user pointer. */
export type ioctl_arg = { readonly kind: 'int'; readonly value: number } | user_ptr;

type MemOf<K extends user_mem['kind']> = Extract<user_mem, { kind: K }>;

/**
 * copy_from_user of a `K`: the memory, or null when the pointer cannot be read
 * (the caller returns -EFAULT). Memory of another shape reads as unreadable:
 * the scenario compiler only builds matching shapes.
 */
export function copy_from_user<K extends user_mem['kind']>(arg: ioctl_arg, kind: K): MemOf<K> | null {
  if (arg.kind !== 'mem' || arg.mem.kind !== kind) return null;
  return arg.mem as MemOf<K>;
}

/** get_user of an int32: its value, or null on fault. */
export function get_user_i32(ptr: user_ptr): number | null {
  return ptr.kind === 'mem' && ptr.mem.kind === 'i32' ? ptr.mem.value : null;
}
