/**
 * drivers/vfio/group.c (v6.2; identical in v6.2-rc5; v6.3 changes marked) —
 * the group character device /dev/vfio/<id>: single opener, container
 * association and handing out device fds. The group-file functions kvm-vfio
 * reaches by symbol_get are in group_file.ts. In v6.1 this code lived in
 * vfio_main.c (moved by 9eefba8002c2, v6.2-rc1); v6.1's own device
 * open/close path is vfio_main_ds_first.ts.
 *
 * Lock order on the device paths (kernel-semantics §2.8, §2.9):
 * open:  &group->device_lock (lookup only, dropped) ; &group->group_lock ->
 *        &dev_set->lock -> whatever the driver's open_device takes; v6.3+
 *        also &dev_set->lock -> &group->kvm_ref_lock for the core's kvm ref.
 * close: &group->group_lock -> &dev_set->lock -> the driver's close_device
 *        (kvmgt's kvm_put_kvm, possibly the last one), then in v6.3+
 *        vfio_device_put_kvm (the core's put, possibly the last one).
 * iommufd (CONFIG_IOMMUFD) is not modelled: only the container path exists.
 */
import { traced } from '../../../rt/api.js';
import type { Gen } from '../../../rt/ops.js';
import { fd_install, fdget, fdput, get_unused_fd_flags, put_unused_fd } from '../../fs/file.js';
import { WARN_ON } from '../../include/linux/bug.js';
import { O_CLOEXEC, type file, type file_operations, type inode } from '../../include/linux/fs.js';
import { lockdep_assert_held, mutex_lock, mutex_unlock } from '../../include/linux/mutex.js';
import { refcount_read } from '../../include/linux/refcount.js';
import type { task_struct } from '../../include/linux/sched.js';
import { copy_from_user, type ioctl_arg } from '../../include/linux/uaccess.js';
import { ERRNO } from '../../include/uapi/asm-generic/errno.js';
import * as uapi from '../../include/uapi/linux/vfio.js';
import { vfio_container_attach_group, vfio_container_from_file, vfio_group_detach_container } from './container.js';
import { vfio_device_open_file } from './group_device.js';
import type { vfio_device, vfio_group } from './vfio.js';
import { vfio_device_put_registration, vfio_device_try_get_registration } from './vfio_main.js';
import { vfio_device_open as vfio_device_open_ds_first } from './vfio_main_ds_first.js';

/** Finds a device by name under DL and takes a registration reference on it. */
const vfio_device_get_from_name = traced(
  'vfio_device_get_from_name',
  function* (current: task_struct, group: vfio_group, buf: string): Gen<vfio_device | number> {
    yield* mutex_lock(current, group.device_lock);
    // list_for_each_entry: the device of that name (names are unique in a group), if its registration reference can be taken.
    const it = current.thread.exec.find(group.device_list, (d) => d.name === buf);
    const device = it !== null && (yield* vfio_device_try_get_registration(current, it)) ? it : null;
    yield* mutex_unlock(current, group.device_lock);
    return device ?? -ERRNO.ENODEV;
  },
);

/** Whether the group has a container (there are users iff there is a container). GL held. */
export function vfio_group_has_iommu(current: task_struct, group: vfio_group): boolean {
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
 * has a container; an fd that is not a container: -EBADFD since
 * 2a3dab19a0a6 (v6.2-rc1), -EINVAL before (`vfioSetContainerBadFd`).
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
      const bad = current.machine.switches.vfioSetContainerBadFd === 'EBADFD' ? -ERRNO.EBADFD : -ERRNO.EINVAL;
      ret = container !== null ? yield* vfio_container_attach_group(current, container, group) : bad;
    }
    yield* mutex_unlock(current, group.group_lock);
    yield* fdput(current, f);
    return ret;
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
    // v6.1 (dev_set->lock first) opens along its own path.
    const ds_first = current.machine.switches.vfioDeviceLockOrder === 'dev_set->lock, group_lock';
    const filep = ds_first ? yield* vfio_device_open_ds_first(current, device) : yield* vfio_device_open_file(current, device);
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
