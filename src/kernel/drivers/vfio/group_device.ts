/**
 * drivers/vfio/group.c (continued; v6.2, v6.3 changes marked) — opening and
 * closing a device through its group: vfio_device_group_open/close (group_lock,
 * then dev_set->lock), the container use of the first open and last close, and
 * the "[vfio-device]" file. v6.1 did this in vfio_main.c in the other lock
 * order: vfio_main_ds_first.ts.
 */
import { traced } from '../../../rt/api.js';
import type { Gen } from '../../../rt/ops.js';
import { anon_inode_getfile } from '../../fs/anon_inodes.js';
import { WARN_ON } from '../../include/linux/bug.js';
import { O_RDWR, type file } from '../../include/linux/fs.js';
import { lockdep_assert_held, mutex_lock, mutex_unlock } from '../../include/linux/mutex.js';
import type { task_struct } from '../../include/linux/sched.js';
import { ERRNO } from '../../include/uapi/asm-generic/errno.js';
import { vfio_group_unuse_container, vfio_group_use_container } from './container.js';
import { vfio_group_has_iommu } from './group.js';
import { vfio_device_group_get_kvm_safe } from './group_file.js';
import type { vfio_device } from './vfio.js';
import { vfio_device_close, vfio_device_fops, vfio_device_open, vfio_device_put_kvm } from './vfio_main.js';

/**
 * Opens `device` for a new fd: GL, then DS. v6.2: DS is taken in
 * vfio_device_open and group->kvm is passed on without a reference. v6.3+
 * (2b48f52f2bff): DS is taken here, and before the first open the core takes
 * its own kvm reference (under KRL), dropped again if the open fails.
 */
export const vfio_device_group_open = traced(
  'vfio_device_group_open',
  function* (current: task_struct, device: vfio_device): Gen<number> {
    const group = device.group;
    let ret: number;
    yield* mutex_lock(current, group.group_lock);
    if (!vfio_group_has_iommu(current, group)) {
      ret = -ERRNO.EINVAL;
    } else if (current.machine.switches.vfioDeviceKvmRef === 'core') {
      yield* mutex_lock(current, device.dev_set.lock);
      if (device.open_count === 0) yield* vfio_device_group_get_kvm_safe(current, device);
      ret = yield* vfio_device_open(current, device, device.kvm);
      if (device.open_count === 0) yield* vfio_device_put_kvm(current, device);
      yield* mutex_unlock(current, device.dev_set.lock);
    } else {
      ret = yield* vfio_device_open(current, device, group.kvm);
    }
    yield* mutex_unlock(current, group.group_lock);
    return ret;
  },
);

/**
 * Closes one open of `device`: GL, then DS (v6.2: in vfio_device_close), both
 * held across the driver's close_device; v6.3+ then drops the core's kvm
 * reference after the last close, still under both.
 */
export const vfio_device_group_close = traced(
  'vfio_device_group_close',
  function* (current: task_struct, device: vfio_device): Gen {
    yield* mutex_lock(current, device.group.group_lock);
    if (current.machine.switches.vfioDeviceKvmRef === 'core') {
      yield* mutex_lock(current, device.dev_set.lock);
      yield* vfio_device_close(current, device);
      if (device.open_count === 0) yield* vfio_device_put_kvm(current, device);
      yield* mutex_unlock(current, device.dev_set.lock);
    } else {
      yield* vfio_device_close(current, device);
    }
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
export const vfio_device_open_file = traced(
  'vfio_device_open_file',
  function* (current: task_struct, device: vfio_device): Gen<file | number> {
    const ret = yield* vfio_device_group_open(current, device);
    if (ret !== 0) return ret;
    // FMODE_PREAD | FMODE_PWRITE are added in the kernel; not modelled.
    return anon_inode_getfile(current, '[vfio-device]', vfio_device_fops, device, O_RDWR);
  },
);
