/**
 * drivers/vfio/group.c (v6.2; identical in v6.2-rc5) — the group character
 * device /dev/vfio/<id>: single opener, container association, handing out
 * device fds, and the group-file functions kvm-vfio reaches by symbol_get.
 *
 * Lock order on the device paths (kernel-semantics §2.8, §2.9):
 * open:  &group->device_lock (lookup only, dropped) ; &group->group_lock ->
 *        &dev_set->lock -> whatever the driver's open_device takes.
 * close: &group->group_lock -> &dev_set->lock -> the driver's close_device
 *        (kvmgt's kvm_put_kvm, possibly the last one).
 * iommufd (CONFIG_IOMMUFD) is not modelled: only the container path exists.
 */
import { traced } from '../../../rt/api.js';
import type { Gen } from '../../../rt/ops.js';
import { anon_inode_getfile } from '../../fs/anon_inodes.js';
import { fd_install, fdget, fdput, get_unused_fd_flags, put_unused_fd } from '../../fs/file.js';
import { WARN_ON } from '../../include/linux/bug.js';
import { O_CLOEXEC, O_RDWR, type file, type file_operations, type inode } from '../../include/linux/fs.js';
import type { kvm } from '../../include/linux/kvm_host.js';
import { lockdep_assert_held, mutex_lock, mutex_unlock } from '../../include/linux/mutex.js';
import { refcount_read } from '../../include/linux/refcount.js';
import type { task_struct } from '../../include/linux/sched.js';
import { copy_from_user, type ioctl_arg } from '../../include/linux/uaccess.js';
import { ERRNO } from '../../include/uapi/asm-generic/errno.js';
import * as uapi from '../../include/uapi/linux/vfio.js';
import {
  vfio_container_attach_group,
  vfio_container_from_file,
  vfio_group_detach_container,
  vfio_group_unuse_container,
  vfio_group_use_container,
} from './container.js';
import type { vfio_device, vfio_group } from './vfio.js';
import {
  vfio_device_close,
  vfio_device_fops,
  vfio_device_open,
  vfio_device_put_registration,
  vfio_device_try_get_registration,
} from './vfio_main.js';


/** Finds a device by name under DL and takes a registration reference on it. */
const vfio_device_get_from_name = traced(
  'vfio_device_get_from_name',
  function* (current: task_struct, group: vfio_group, buf: string): Gen<vfio_device | number> {
    let device: vfio_device | number = -ERRNO.ENODEV;
    yield* mutex_lock(current, group.device_lock);
    for (const it of group.device_list) {
      if (it.name === buf && (yield* vfio_device_try_get_registration(current, it))) {
        device = it;
        break;
      }
    }
    yield* mutex_unlock(current, group.device_lock);
    return device;
  },
);

/** Whether the group has a container (there are users iff there is a container). GL held. */
function vfio_group_has_iommu(current: task_struct, group: vfio_group): boolean {
  lockdep_assert_held(current, group.group_lock);
  WARN_ON(current, (group.container === null) !== (group.container_users === 0), 'container vs container_users');
  return group.container !== null;
}

/** VFIO_GROUP_UNSET_CONTAINER: -EINVAL without a container, -EBUSY while a device is open. */
const vfio_group_ioctl_unset_container = traced(
  'vfio_group_ioctl_unset_container',
  function* (current: task_struct, group: vfio_group): Gen<number> {
    let ret = 0;
    yield* mutex_lock(current, group.group_lock);
    if (!vfio_group_has_iommu(current, group)) ret = -ERRNO.EINVAL;
    else if (group.container_users !== 1) ret = -ERRNO.EBUSY;
    else yield* vfio_group_detach_container(current, group);
    yield* mutex_unlock(current, group.group_lock);
    return ret;
  },
);

/**
 * VFIO_GROUP_SET_CONTAINER: the int at `arg` is a container fd. -EFAULT for
 * an unreadable pointer, -EBADF for no such fd, -EINVAL if the group already
 * has a container, -EBADFD if the fd is not a container.
 */
const vfio_group_ioctl_set_container = traced(
  'vfio_group_ioctl_set_container',
  function* (current: task_struct, group: vfio_group, arg: ioctl_arg): Gen<number> {
    const mem = copy_from_user(arg, 'i32');
    if (mem === null) return -ERRNO.EFAULT;
    const f = yield* fdget(current, mem.value);
    if (f.file === null) return -ERRNO.EBADF;
    let ret: number;
    yield* mutex_lock(current, group.group_lock);
    if (vfio_group_has_iommu(current, group)) {
      ret = -ERRNO.EINVAL;
    } else {
      const container = vfio_container_from_file(f.file);
      ret = container !== null ? yield* vfio_container_attach_group(current, container, group) : -ERRNO.EBADFD; // a4d1f91db502 (v6.2-rc1; v6.1 said -EINVAL)
    }
    yield* mutex_unlock(current, group.group_lock);
    yield* fdput(current, f);
    return ret;
  },
);

/** Opens `device` for a new fd: GL, then DS (in vfio_device_open); group->kvm is passed on without a reference. */
export const vfio_device_group_open = traced(
  'vfio_device_group_open',
  function* (current: task_struct, device: vfio_device): Gen<number> {
    const group = device.group;
    let ret: number;
    yield* mutex_lock(current, group.group_lock);
    if (!vfio_group_has_iommu(current, group)) ret = -ERRNO.EINVAL;
    else ret = yield* vfio_device_open(current, device, group.kvm);
    yield* mutex_unlock(current, group.group_lock);
    return ret;
  },
);

/** Closes one open of `device`: GL, then (in vfio_device_close) DS, both held across the driver's close_device. */
export const vfio_device_group_close = traced(
  'vfio_device_group_close',
  function* (current: task_struct, device: vfio_device): Gen {
    yield* mutex_lock(current, device.group.group_lock);
    yield* vfio_device_close(current, device);
    yield* mutex_unlock(current, device.group.group_lock);
  },
);

/** First open of a device (GL held): use the container, pinning the group file. */
export const vfio_device_group_use_iommu = traced(
  'vfio_device_group_use_iommu',
  function* (current: task_struct, device: vfio_device): Gen<number> {
    const group = device.group;
    lockdep_assert_held(current, group.group_lock);
    if (WARN_ON(current, group.container === null, 'no container in vfio_device_group_use_iommu')) return -ERRNO.EINVAL;
    return yield* vfio_group_use_container(current, group); // then container_register: a no-op for type1
  },
);

/** Last close of a device (GL held): drop the container use and the group-file pin. */
export const vfio_device_group_unuse_iommu = traced(
  'vfio_device_group_unuse_iommu',
  function* (current: task_struct, device: vfio_device): Gen {
    const group = device.group;
    lockdep_assert_held(current, group.group_lock);
    if (WARN_ON(current, group.container === null, 'no container in vfio_device_group_unuse_iommu')) return;
    yield* vfio_group_unuse_container(current, group);
  },
);

/** Opens the device and wraps it in a "[vfio-device]" file, which takes over the registration reference. */
const vfio_device_open_file = traced(
  'vfio_device_open_file',
  function* (current: task_struct, device: vfio_device): Gen<file | number> {
    const ret = yield* vfio_device_group_open(current, device);
    if (ret !== 0) return ret;
    // FMODE_PREAD | FMODE_PWRITE are added in the kernel; not modelled.
    return anon_inode_getfile(current, '[vfio-device]', vfio_device_fops, device, O_RDWR);
  },
);

/** VFIO_GROUP_GET_DEVICE_FD: -EFAULT for an unreadable name, -ENODEV for an unknown one. */
const vfio_group_ioctl_get_device_fd = traced(
  'vfio_group_ioctl_get_device_fd',
  function* (current: task_struct, group: vfio_group, arg: ioctl_arg): Gen<number> {
    // strndup_user: the kernel copy of the name is not modelled as an allocation.
    const buf = copy_from_user(arg, 'string');
    if (buf === null) return -ERRNO.EFAULT;
    const device = yield* vfio_device_get_from_name(current, group, buf.value);
    if (typeof device === 'number') return device;
    const fdno = yield* get_unused_fd_flags(current, O_CLOEXEC);
    if (fdno < 0) {
      yield* vfio_device_put_registration(current, device);
      return fdno;
    }
    const filep = yield* vfio_device_open_file(current, device);
    if (typeof filep === 'number') {
      yield* put_unused_fd(current, fdno);
      yield* vfio_device_put_registration(current, device);
      return filep;
    }
    yield* fd_install(current, fdno, filep);
    return fdno;
  },
);

const vfio_group_fops_unl_ioctl = traced(
  'vfio_group_fops_unl_ioctl',
  function* (current: task_struct, filep: file, cmd: number, arg: ioctl_arg): Gen<number> {
    const group = filep.private_data as vfio_group;
    switch (cmd) {
      case uapi.VFIO_GROUP_GET_DEVICE_FD:
        return yield* vfio_group_ioctl_get_device_fd(current, group, arg);
      case uapi.VFIO_GROUP_GET_STATUS:
        return -ERRNO.EFAULT; // no struct vfio_group_status user memory in the model: the copy faults
      case uapi.VFIO_GROUP_SET_CONTAINER:
        return yield* vfio_group_ioctl_set_container(current, group, arg);
      case uapi.VFIO_GROUP_UNSET_CONTAINER:
        return yield* vfio_group_ioctl_unset_container(current, group);
      default:
        return -ERRNO.ENOTTY;
    }
  },
);

/** open("/dev/vfio/<id>"): one opener at a time (-EBUSY), recorded in opened_file under GL. */
const vfio_group_fops_open = traced('vfio_group_fops_open', function* (current: task_struct, ino: inode, filep: file): Gen<number> {
  const group = ino.i_private as vfio_group;
  let ret = 0;
  yield* mutex_lock(current, group.group_lock);
  if ((yield* refcount_read(group.drivers)) === 0) ret = -ERRNO.ENODEV;
  else if (group.opened_file !== null) ret = -ERRNO.EBUSY;
  else {
    group.opened_file = filep;
    filep.private_data = group;
  }
  yield* mutex_unlock(current, group.group_lock);
  return ret;
});

/** Final fput of the group file: device fds pin it, so none is open; detaching may free the container. */
const vfio_group_fops_release = traced(
  'vfio_group_fops_release',
  function* (current: task_struct, _ino: inode, filep: file): Gen<number> {
    const group = filep.private_data as vfio_group;
    filep.private_data = null;
    yield* mutex_lock(current, group.group_lock);
    if (group.container !== null) yield* vfio_group_detach_container(current, group);
    group.opened_file = null;
    yield* mutex_unlock(current, group.group_lock);
    return 0;
  },
);

export const vfio_group_fops: file_operations = {
  name: 'vfio_group_fops',
  open: vfio_group_fops_open,
  release: vfio_group_fops_release,
  unlocked_ioctl: vfio_group_fops_unl_ioctl,
};

// ---- exported to kvm-vfio (EXPORT_SYMBOL_GPL, reached by symbol_get) --------

/** Whether `f` is a VFIO group file. */
export function vfio_file_is_group(f: file): boolean {
  return f.f_op === vfio_group_fops;
}

/** Whether every device of the group enforces DMA cache coherency (non-group files: true). Takes DL. */
export const vfio_file_enforced_coherent = traced(
  'vfio_file_enforced_coherent',
  function* (current: task_struct, f: file): Gen<boolean> {
    const group = f.private_data as vfio_group;
    if (!vfio_file_is_group(f)) return true;
    yield* mutex_lock(current, group.device_lock);
    // device_iommu_capable(IOMMU_CAP_ENFORCE_CACHE_COHERENCY) of each device, a host property.
    const ret = group.device_list.every((device) => device.coherent);
    yield* mutex_unlock(current, group.device_lock);
    return ret;
  },
);

/**
 * Records the VM a group belongs to. v6.2: under group_lock (GL) — the lock
 * that close_device paths already hold when a driver drops the last kvm
 * reference. No reference on `kvm` is taken.
 */
export const vfio_file_set_kvm = traced('vfio_file_set_kvm', function* (current: task_struct, f: file, k: kvm | null): Gen {
  const group = f.private_data as vfio_group;
  if (!vfio_file_is_group(f)) return;
  yield* mutex_lock(current, group.group_lock);
  group.kvm = k;
  yield* mutex_unlock(current, group.group_lock);
});
