/**
 * drivers/vfio/vfio_main.c as of v6.1 — opening and closing a device while
 * the group code still lived in vfio_main.c: the path taken while
 * `vfioDeviceLockOrder` is 'dev_set->lock, group_lock'. Replaced in
 * v6.2-rc1 by 294aaccb5013 (first_open/last_close), bab6fabc01d9 (container
 * pinned on the first open only), 04f930c3e44b (renames) and 5c8d3d93f6a7
 * (vfio_device_group_open/close: group_lock first); see group_device.ts.
 *
 * Lock order (kernel-semantics §2.8 last line, §3.1 step 1):
 * open:  &group->group_lock alone (pin the container: every open), then
 *        &dev_set->lock -> &group->group_lock -> the driver's open_device
 *        (first open only).
 * close: &dev_set->lock -> &group->group_lock -> the driver's close_device
 *        (last close only; kvmgt's kvm_put_kvm, possibly the last one), then
 *        &group->group_lock alone to unpin the container.
 */
import { traced } from '../../../rt/api.js';
import type { Gen } from '../../../rt/ops.js';
import { anon_inode_getfile } from '../../fs/anon_inodes.js';
import { WARN_ON } from '../../include/linux/bug.js';
import { O_RDWR, type file } from '../../include/linux/fs.js';
import { mutex_lock, mutex_unlock } from '../../include/linux/mutex.js';
import type { task_struct } from '../../include/linux/sched.js';
import { __vfio_group_unuse_container, __vfio_group_use_container } from './container.js';
import type { vfio_device } from './vfio.js';
import { vfio_device_fops, vfio_device_put_registration } from './vfio_main.js';

/** container.c (v6.1), group_lock held: checks the container and its IOMMU driver (-EINVAL), pins the group file. */
const vfio_device_assign_container = traced(
  'vfio_device_assign_container',
  (current: task_struct, device: vfio_device): Gen<number> => __vfio_group_use_container(current, device.group),
);

/** container.c (v6.1): takes group_lock itself to drop one open's pin on the group file. */
const vfio_device_unassign_container = traced(
  'vfio_device_unassign_container',
  function* (current: task_struct, device: vfio_device): Gen {
    yield* mutex_lock(current, device.group.group_lock);
    yield* __vfio_group_unuse_container(current, device.group);
    yield* mutex_unlock(current, device.group.group_lock);
  },
);

/**
 * vfio_device_open (v6.1): pins the container under group_lock, then counts
 * the open under dev_set->lock; the first open takes group_lock again,
 * publishes group->kvm to the driver (no reference) and calls open_device.
 * Returns the "[vfio-device]" file, or a negative errno after unwinding.
 */
export const vfio_device_open = traced(
  'vfio_device_open',
  function* (current: task_struct, device: vfio_device): Gen<file | number> {
    const group = device.group;
    yield* mutex_lock(current, group.group_lock);
    let ret = yield* vfio_device_assign_container(current, device);
    yield* mutex_unlock(current, group.group_lock);
    if (ret !== 0) return ret;
    // try_module_get of the driver: built in, cannot fail.
    yield* mutex_lock(current, device.dev_set.lock);
    device.open_count++;
    if (device.open_count === 1) {
      yield* mutex_lock(current, group.group_lock);
      device.kvm = group.kvm;
      const open_device = device.ops.open_device;
      if (open_device !== undefined) ret = yield* open_device(current, device);
      // vfio_device_container_register: a no-op for type1.
      yield* mutex_unlock(current, group.group_lock);
    }
    if (ret !== 0) {
      device.open_count--;
      if (device.open_count === 0) device.kvm = null;
      yield* mutex_unlock(current, device.dev_set.lock);
      yield* vfio_device_unassign_container(current, device);
      return ret;
    }
    yield* mutex_unlock(current, device.dev_set.lock);
    // FMODE_PREAD | FMODE_PWRITE are added in the kernel; not modelled.
    return anon_inode_getfile(current, '[vfio-device]', vfio_device_fops, device, O_RDWR);
  },
);

/**
 * The body of v6.1's vfio_device_fops_release (the caller is that frame):
 * dev_set->lock, then group_lock across the last close_device; then the
 * container pin is dropped (group_lock alone) and the registration reference.
 */
export function* vfio_device_fops_release_ds_first(current: task_struct, device: vfio_device): Gen {
  const group = device.group;
  yield* mutex_lock(current, device.dev_set.lock);
  WARN_ON(current, device.open_count === 0, `${device.name}: close of a device that is not open`);
  yield* mutex_lock(current, group.group_lock);
  const close_device = device.ops.close_device;
  if (device.open_count === 1 && close_device !== undefined) yield* close_device(current, device);
  // vfio_device_container_unregister: a no-op for type1.
  yield* mutex_unlock(current, group.group_lock);
  device.open_count--;
  if (device.open_count === 0) device.kvm = null;
  yield* mutex_unlock(current, device.dev_set.lock);
  // module_put of the driver: built in.
  yield* vfio_device_unassign_container(current, device);
  yield* vfio_device_put_registration(current, device);
}
