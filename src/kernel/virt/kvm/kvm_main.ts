/**
 * virt/kvm/kvm_main.c (v6.2; unchanged in this area from v6.1 to v6.18) —
 * /dev/kvm, VM creation and teardown and the reference count on struct kvm.
 * The KVM device framework (KVM_CREATE_DEVICE, device fds) is in
 * kvm_main_device.ts.
 */
import { traced } from '../../../rt/api.js';
import type { Gen } from '../../../rt/ops.js';
import { register_chrdev_path } from '../../fs/char_dev.js';
import { fd_install, get_unused_fd_flags } from '../../fs/file.js';
import { anon_inode_getfile } from '../../fs/anon_inodes.js';
import { O_CLOEXEC, O_RDWR, type file, type file_operations, type inode } from '../../include/linux/fs.js';
import type { kvm, kvm_device, kvm_device_ops } from '../../include/linux/kvm_host.js';
import { mutex_init, mutex_lock, mutex_unlock, type mutex } from '../../include/linux/mutex.js';
import {
  refcount_dec_and_test,
  refcount_inc,
  refcount_inc_not_zero,
  refcount_init,
} from '../../include/linux/refcount.js';
import type { task_struct } from '../../include/linux/sched.js';
import { kfree, kzalloc } from '../../include/linux/slab.js';
import { spin_lock_init } from '../../include/linux/spinlock.js';
import { copy_from_user, type ioctl_arg } from '../../include/linux/uaccess.js';
import { ERRNO } from '../../include/uapi/asm-generic/errno.js';
import * as uapi from '../../include/uapi/linux/kvm.js';
import type { Machine } from '../../machine.js';
import { EXPORT_SYMBOL } from '../../kernel/module.js';
import { kvm_ioctl_create_device } from './kvm_main_device.js';
import { kvm_vfio_ops_init } from './vfio.js';

/** Globals of kvm_main.c: the kvm_lock mutex, vm_list and the device-ops table. */
export interface kvm_globals {
  /** "kvm_lock": protects vm_list. */
  readonly kvm_lock: mutex;
  readonly vm_list: kvm[];
  readonly kvm_device_ops_table: (kvm_device_ops | null)[];
}

export function kvm_globals_of(machine: Machine): kvm_globals {
  const g = machine.globals.get('kvm');
  if (g === undefined) throw new Error('kvm_init has not run');
  return g as kvm_globals;
}

/** kvm_register_device_ops: -EEXIST if the slot is taken, -ENOSPC past the table. */
export function kvm_register_device_ops(machine: Machine, ops: kvm_device_ops, type: number): number {
  const table = kvm_globals_of(machine).kvm_device_ops_table;
  if (type >= table.length) return -ERRNO.ENOSPC;
  if (table[type] !== null) return -ERRNO.EEXIST;
  table[type] = ops;
  return 0;
}

// ---- struct kvm references -------------------------------------------------

export function* kvm_get_kvm(_current: task_struct, k: kvm): Gen {
  yield* refcount_inc(k.users_count);
}

/** kvm_get_kvm_safe: a reference unless the VM is already being destroyed. */
export function* kvm_get_kvm_safe(_current: task_struct, k: kvm): Gen<boolean> {
  return yield* refcount_inc_not_zero(k.users_count);
}

/**
 * kvm_put_kvm: the last reference destroys the VM right here, in the caller's
 * context and under whatever locks the caller holds.
 */
export const kvm_put_kvm = traced('kvm_put_kvm', function* (current: task_struct, k: kvm): Gen {
  if (yield* refcount_dec_and_test(k.users_count)) yield* kvm_destroy_vm(current, k);
});

/** kvm_put_kvm_no_destroy: a put that must not be the last one (WARN if it is). */
export function* kvm_put_kvm_no_destroy(current: task_struct, k: kvm): Gen {
  if (yield* refcount_dec_and_test(k.users_count)) current.thread.exec.warn('WARNING: kvm_put_kvm_no_destroy dropped the last reference');
}

/**
 * kvm_destroy_devices: no lock is taken — nobody else holds a reference any
 * more. Devices with a release method were unlinked when their fd closed.
 */
export const kvm_destroy_devices = traced('kvm_destroy_devices', function* (current: task_struct, k: kvm): Gen {
  while (k.devices.length > 0) {
    const dev = k.devices.shift() as kvm_device;
    const destroy = dev.ops.destroy;
    if (destroy === undefined) throw new Error(`${dev.ops.name}: kvm_destroy_devices found a device without destroy`);
    yield* destroy(current, dev);
  }
});

/**
 * kvm_destroy_vm, reduced to what touches locks and lifetimes: unlink from
 * vm_list under kvm_lock, then (after the arch teardown, not modelled)
 * kvm_destroy_devices, then free.
 */
export const kvm_destroy_vm = traced('kvm_destroy_vm', function* (current: task_struct, k: kvm): Gen {
  const g = kvm_globals_of(current.machine);
  yield* mutex_lock(current, g.kvm_lock);
  g.vm_list.splice(g.vm_list.indexOf(k), 1);
  yield* mutex_unlock(current, g.kvm_lock);
  yield* kvm_destroy_devices(current, k);
  yield* kfree(current, k);
});

// ---- VM creation -------------------------------------------------------------

const kvm_create_vm = traced('kvm_create_vm', function* (current: task_struct): Gen<kvm> {
  const exec = current.thread.exec;
  const g = kvm_globals_of(current.machine);
  const k = kzalloc(current, 'struct kvm', {
    users_count: refcount_init(exec, 'kvm->users_count', 1),
    lock: mutex_init(exec, '&kvm->lock'),
    mmu_lock: spin_lock_init(exec, '&kvm->mmu_lock'),
    devices: [] as kvm_device[],
    mm: current.mm,
    vm_dead: false,
    assigned_device_count: 0,
    noncoherent_dma_count: 0,
    track_notifiers: [] as unknown[],
  });
  yield* mutex_lock(current, g.kvm_lock);
  g.vm_list.push(k);
  yield* mutex_unlock(current, g.kvm_lock);
  return k;
});

const kvm_vm_release = traced('kvm_vm_release', function* (current: task_struct, _inode: inode, filp: file): Gen<number> {
  // kvm_irqfd_release: no irqfds in the model.
  yield* kvm_put_kvm(current, filp.private_data as kvm);
  return 0;
});

const kvm_dev_ioctl_create_vm = traced('kvm_dev_ioctl_create_vm', function* (current: task_struct, type: number): Gen<number> {
  if (type !== 0) return -ERRNO.EINVAL; // x86: only the default machine type
  const k = yield* kvm_create_vm(current);
  const fd = yield* get_unused_fd_flags(current, O_CLOEXEC);
  if (fd < 0) {
    yield* kvm_put_kvm(current, k);
    return fd;
  }
  const f = anon_inode_getfile(current, 'kvm-vm', kvm_vm_fops, k, O_RDWR);
  yield* fd_install(current, fd, f);
  return fd;
});

/** kvm_vm_ioctl_check_extension_generic, for the capabilities the model knows. */
function kvm_check_extension(cap: number): number {
  return cap === uapi.KVM_CAP_DEVICE_CTRL ? 1 : 0;
}

const kvm_dev_ioctl = traced(
  'kvm_dev_ioctl',
  function* (current: task_struct, _filp: file, cmd: number, arg: ioctl_arg): Gen<number> {
    const value = arg.kind === 'int' ? arg.value : arg.kind === 'null' ? 0 : -1;
    switch (cmd) {
      case uapi.KVM_GET_API_VERSION:
        return value !== 0 ? -ERRNO.EINVAL : uapi.KVM_API_VERSION;
      case uapi.KVM_CREATE_VM:
        return yield* kvm_dev_ioctl_create_vm(current, value);
      case uapi.KVM_CHECK_EXTENSION:
        return kvm_check_extension(value);
      default:
        // kvm_arch_dev_ioctl (x86): unknown requests are invalid.
        return -ERRNO.EINVAL;
    }
  },
);

const kvm_chardev_ops: file_operations = { name: 'kvm_chardev_ops', unlocked_ioctl: kvm_dev_ioctl };

/** kvm_vm_ioctl: every VM ioctl first checks the caller's mm and that the VM is alive. */
const kvm_vm_ioctl = traced(
  'kvm_vm_ioctl',
  function* (current: task_struct, filp: file, cmd: number, arg: ioctl_arg): Gen<number> {
    const k = filp.private_data as kvm;
    if (k.mm !== current.mm || k.vm_dead) return -ERRNO.EIO;
    switch (cmd) {
      case uapi.KVM_CREATE_DEVICE: {
        const cd = copy_from_user(arg, 'kvm_create_device');
        if (cd === null) return -ERRNO.EFAULT;
        const r = yield* kvm_ioctl_create_device(current, k, cd);
        // copy_to_user of cd: the struct was readable, so it is writable.
        return r;
      }
      case uapi.KVM_CHECK_EXTENSION:
        return kvm_check_extension(arg.kind === 'int' ? arg.value : 0);
      default:
        // kvm_arch_vm_ioctl (x86) does not know the request.
        return -ERRNO.ENOTTY;
    }
  },
);

export const kvm_vm_fops: file_operations = {
  name: 'kvm_vm_fops',
  unlocked_ioctl: kvm_vm_ioctl,
  release: kvm_vm_release,
};

/** kvm_init: registers /dev/kvm and the device types of an x86 host (kvm-vfio only). */
export function kvm_init(machine: Machine): void {
  const exec = machine.exec;
  const g: kvm_globals = {
    kvm_lock: mutex_init(exec, 'kvm_lock'),
    vm_list: [],
    kvm_device_ops_table: new Array<kvm_device_ops | null>(uapi.KVM_DEV_TYPE_MAX).fill(null),
  };
  machine.globals.set('kvm', g);
  register_chrdev_path(machine.chrdevs, '/dev/kvm', kvm_chardev_ops);
  // EXPORT_SYMBOL_GPL: VFIO reaches these with symbol_get (since 2b48f52f2bff).
  EXPORT_SYMBOL(machine, 'kvm_get_kvm_safe', kvm_get_kvm_safe);
  EXPORT_SYMBOL(machine, 'kvm_put_kvm', kvm_put_kvm);
  kvm_vfio_ops_init(machine);
}
