/**
 * virt/kvm/kvm_main.c (continued) — the KVM device framework: KVM_CREATE_DEVICE
 * (kvm_ioctl_create_device), device fd ioctls and the device fd's release.
 * Modelled from v6.2 (identical in v6.1 and v6.2-rc5); since ea54dd374232
 * (v6.10, `kvmDevicesRculist`) kvm->devices is an rculist: list_add_rcu on
 * create, list_del_rcu then synchronize_rcu before a device's release.
 */
import { traced } from '../../../rt/api.js';
import type { Gen } from '../../../rt/ops.js';
import { anon_inode_getfd } from '../../fs/anon_inodes.js';
import { O_CLOEXEC, O_RDWR, type file, type file_operations, type inode } from '../../include/linux/fs.js';
import type { kvm, kvm_device, kvm_device_attr } from '../../include/linux/kvm_host.js';
import { mutex_lock, mutex_unlock } from '../../include/linux/mutex.js';
import { list_add_rcu, list_del_rcu, synchronize_rcu } from '../../include/linux/rculist.js';
import type { task_struct } from '../../include/linux/sched.js';
import { kfree, kzalloc } from '../../include/linux/slab.js';
import { copy_from_user, type ioctl_arg } from '../../include/linux/uaccess.js';
import { ERRNO } from '../../include/uapi/asm-generic/errno.js';
import * as uapi from '../../include/uapi/linux/kvm.js';
import { kvm_get_kvm, kvm_globals_of, kvm_put_kvm, kvm_put_kvm_no_destroy } from './kvm_main.js';

type attr_accessor = ((current: task_struct, dev: kvm_device, attr: kvm_device_attr) => Gen<number>) | undefined;

/** kvm_device_ioctl_attr: -EPERM without the accessor (before touching user memory), -EFAULT on a bad struct. */
const kvm_device_ioctl_attr = traced(
  'kvm_device_ioctl_attr',
  function* (current: task_struct, dev: kvm_device, accessor: attr_accessor, arg: ioctl_arg): Gen<number> {
    if (accessor === undefined) return -ERRNO.EPERM;
    const attr = copy_from_user(arg, 'kvm_device_attr');
    if (attr === null) return -ERRNO.EFAULT;
    return yield* accessor(current, dev, attr);
  },
);

const kvm_device_ioctl = traced(
  'kvm_device_ioctl',
  function* (current: task_struct, filp: file, cmd: number, arg: ioctl_arg): Gen<number> {
    const dev = filp.private_data as kvm_device;
    if (dev.kvm.mm !== current.mm || dev.kvm.vm_dead) return -ERRNO.EIO;
    switch (cmd) {
      case uapi.KVM_SET_DEVICE_ATTR:
        return yield* kvm_device_ioctl_attr(current, dev, dev.ops.set_attr, arg);
      case uapi.KVM_GET_DEVICE_ATTR:
        return yield* kvm_device_ioctl_attr(current, dev, dev.ops.get_attr, arg);
      case uapi.KVM_HAS_DEVICE_ATTR:
        return yield* kvm_device_ioctl_attr(current, dev, dev.ops.has_attr, arg);
      default:
        if (dev.ops.ioctl !== undefined) return yield* dev.ops.ioctl(current, dev, cmd, arg);
        return -ERRNO.ENOTTY;
    }
  },
);

/**
 * Unlinks `dev` from kvm->devices (kvm->lock held): list_del, or since
 * ea54dd374232 list_del_rcu followed by synchronize_rcu, so that a singleton
 * such as kvm-vfio is completely gone before kvm->lock is dropped.
 */
function kvm_device_unlink(current: task_struct, k: kvm, dev: kvm_device): void {
  if (current.machine.switches.kvmDevicesRculist) {
    list_del_rcu(dev, k.devices);
    synchronize_rcu();
  } else {
    k.devices.splice(k.devices.indexOf(dev), 1);
  }
}

/**
 * kvm_device_release: a device with a release method is unlinked and released
 * under kvm->lock now (so kvm_destroy_devices never sees it); either way the
 * fd's kvm reference is dropped last.
 */
const kvm_device_release = traced(
  'kvm_device_release',
  function* (current: task_struct, _inode: inode, filp: file): Gen<number> {
    const dev = filp.private_data as kvm_device;
    const k = dev.kvm;
    const release = dev.ops.release;
    if (release !== undefined) {
      yield* mutex_lock(current, k.lock);
      kvm_device_unlink(current, k, dev);
      yield* release(current, dev);
      yield* mutex_unlock(current, k.lock);
    }
    yield* kvm_put_kvm(current, k);
    return 0;
  },
);

export const kvm_device_fops: file_operations = {
  name: 'kvm_device_fops',
  unlocked_ioctl: kvm_device_ioctl,
  release: kvm_device_release,
};

/** kvm_ioctl_create_device: kernel-semantics §2.1 steps 3–10. */
export const kvm_ioctl_create_device = traced(
  'kvm_ioctl_create_device',
  function* (current: task_struct, k: kvm, cd: { type: number; fd: number; flags: number }): Gen<number> {
    const table = kvm_globals_of(current.machine).kvm_device_ops_table;
    const test = (cd.flags & uapi.KVM_CREATE_DEVICE_TEST) !== 0;
    if (cd.type < 0 || cd.type >= table.length) return -ERRNO.ENODEV;
    const type = cd.type;
    const ops = table[type] ?? null;
    if (ops === null) return -ERRNO.ENODEV;
    if (test) return 0;

    const dev = kzalloc(current, 'struct kvm_device', { ops, kvm: k, private: null });
    yield* mutex_lock(current, k.lock);
    const ret = yield* ops.create(current, dev, type);
    if (ret < 0) {
      yield* mutex_unlock(current, k.lock);
      yield* kfree(current, dev);
      return ret;
    }
    if (current.machine.switches.kvmDevicesRculist) list_add_rcu(dev, k.devices);
    else k.devices.unshift(dev); // list_add: at the head
    yield* mutex_unlock(current, k.lock);

    if (ops.init !== undefined) yield* ops.init(current, dev);

    yield* kvm_get_kvm(current, k);
    const fd = yield* anon_inode_getfd(current, ops.name, kvm_device_fops, dev, O_RDWR | O_CLOEXEC);
    if (fd < 0) {
      yield* kvm_put_kvm_no_destroy(current, k);
      yield* mutex_lock(current, k.lock);
      kvm_device_unlink(current, k, dev);
      if (ops.release !== undefined) yield* ops.release(current, dev);
      yield* mutex_unlock(current, k.lock);
      if (ops.destroy !== undefined) yield* ops.destroy(current, dev);
      return fd;
    }
    cd.fd = fd;
    return 0;
  },
);
