/**
 * drivers/vfio/container.c (v6.2) — the legacy container, /dev/vfio/vfio:
 * one container per open, groups attach to it (VFIO_GROUP_SET_CONTAINER),
 * and VFIO_SET_IOMMU picks the IOMMU driver once a group is attached.
 *
 * `&container->group_lock` is an rw_semaphore in the kernel; it is modelled
 * as a mutex (readers exclude each other too: fewer interleavings, the same
 * lock dependencies). The only IOMMU driver is a type1 stand-in
 * (drivers/vfio/vfio_iommu_type1.c reduced to its per-container allocation:
 * attaching/detaching groups cannot fail here and takes only type1's own
 * iommu->lock, in which nothing else nests, so it is not modelled).
 */
import { atomic, traced } from '../../../rt/api.js';
import type { Tracked } from '../../../rt/object.js';
import type { Gen } from '../../../rt/ops.js';
import { fput, get_file } from '../../fs/file_table.js';
import { WARN_ON } from '../../include/linux/bug.js';
import type { file, file_operations, inode } from '../../include/linux/fs.js';
import { kref_get, kref_put } from '../../include/linux/kref.js';
import { lockdep_assert_held, mutex_init, mutex_lock, mutex_unlock } from '../../include/linux/mutex.js';
import { refcount_init } from '../../include/linux/refcount.js';
import type { task_struct } from '../../include/linux/sched.js';
import { kfree, kzalloc } from '../../include/linux/slab.js';
import type { ioctl_arg } from '../../include/linux/uaccess.js';
import { ERRNO } from '../../include/uapi/asm-generic/errno.js';
import * as uapi from '../../include/uapi/linux/vfio.js';
import type { vfio_container, vfio_group, vfio_iommu_driver_ops } from './vfio.js';

// ---- the type1 IOMMU driver, as far as the container sees it ----------------

const isType1 = (arg: number): boolean => arg === uapi.VFIO_TYPE1_IOMMU || arg === uapi.VFIO_TYPE1v2_IOMMU;

/**
 * vfio_iommu_type1: answers CHECK_EXTENSION for the two type1 flavours (the
 * other extensions it knows read as 0 here) and allocates its struct
 * vfio_iommu per container, freed when the last group detaches.
 */
export const vfio_iommu_driver_ops_type1: vfio_iommu_driver_ops = {
  name: 'vfio-iommu-type1',
  check_extension: (arg) => (isType1(arg) ? 1 : 0),
  open: (current, arg) =>
    isType1(arg) ? kzalloc(current, 'struct vfio_iommu', { v2: arg === uapi.VFIO_TYPE1v2_IOMMU }) : -ERRNO.EINVAL,
  release: (current, data) => kfree(current, data),
};

/** vfio.iommu_drivers_list: fixed at boot (type1 only), so its mutex is not modelled. */
const iommu_drivers_list: readonly vfio_iommu_driver_ops[] = [vfio_iommu_driver_ops_type1];

/** An ioctl's `unsigned long arg` as a number (a user pointer never matches a constant). */
function arg_ulong(arg: ioctl_arg): number {
  return arg.kind === 'int' ? arg.value : arg.kind === 'null' ? 0 : -1;
}

// ---- container lifetime ------------------------------------------------------

const vfio_container_release = traced('vfio_container_release', (current: task_struct, c: vfio_container) =>
  kfree(current, c),
);

/** Drops a container reference; the last one (file or group) frees it. */
export const vfio_container_put = traced('vfio_container_put', function* (current: task_struct, c: vfio_container): Gen {
  yield* kref_put(current, c.kref, (cur) => vfio_container_release(cur, c));
});

// ---- /dev/vfio/vfio ------------------------------------------------------------

const vfio_container_ioctl_check_extension = traced(
  'vfio_container_ioctl_check_extension',
  function* (current: task_struct, container: vfio_container, arg: number): Gen<number> {
    let ret = 0;
    yield* mutex_lock(current, container.group_lock); // down_read
    const driver = container.iommu_driver;
    if (driver === null) {
      // No driver yet: the first registered driver that answers positively.
      for (const d of iommu_drivers_list) {
        ret = d.check_extension(arg);
        if (ret > 0) break;
      }
    } else {
      ret = driver.check_extension(arg);
    }
    yield* mutex_unlock(current, container.group_lock);
    return ret;
  },
);

/**
 * VFIO_SET_IOMMU: only a container with a group may pick a driver, and only
 * once (-EINVAL otherwise); a type no driver supports gives -ENODEV.
 */
const vfio_ioctl_set_iommu = traced(
  'vfio_ioctl_set_iommu',
  function* (current: task_struct, container: vfio_container, arg: number): Gen<number> {
    let ret = -ERRNO.ENODEV;
    yield* mutex_lock(current, container.group_lock); // down_write
    if (container.group_list.length === 0 || container.iommu_driver !== null) {
      yield* mutex_unlock(current, container.group_lock);
      return -ERRNO.EINVAL;
    }
    for (const driver of iommu_drivers_list) {
      if (driver.check_extension(arg) <= 0) continue;
      const data = driver.open(current, arg);
      if (typeof data === 'number') {
        ret = data;
        continue;
      }
      // __vfio_container_attach_groups: type1 attaches each group (cannot fail here).
      ret = 0;
      container.iommu_driver = driver;
      container.iommu_data = data;
      break;
    }
    yield* mutex_unlock(current, container.group_lock);
    return ret;
  },
);

const vfio_fops_unl_ioctl = traced(
  'vfio_fops_unl_ioctl',
  function* (current: task_struct, filep: file, cmd: number, arg: ioctl_arg): Gen<number> {
    const container = filep.private_data as vfio_container | null;
    if (container === null) return -ERRNO.EINVAL;
    switch (cmd) {
      case uapi.VFIO_GET_API_VERSION:
        return uapi.VFIO_API_VERSION;
      case uapi.VFIO_CHECK_EXTENSION:
        return yield* vfio_container_ioctl_check_extension(current, container, arg_ulong(arg));
      case uapi.VFIO_SET_IOMMU:
        return yield* vfio_ioctl_set_iommu(current, container, arg_ulong(arg));
      default: {
        // Read without the container lock, as the kernel does; type1 knows
        // none of the remaining requests the model can issue.
        const driver = yield* atomic(container, 'read', 'container->iommu_driver', () => container.iommu_driver);
        return driver !== null ? -ERRNO.ENOTTY : -ERRNO.EINVAL;
      }
    }
  },
);

/** open("/dev/vfio/vfio"): a fresh container whose first reference belongs to the file. */
const vfio_fops_open = traced('vfio_fops_open', function* (current: task_struct, _inode: inode, filep: file): Gen<number> {
  const exec = current.thread.exec;
  const container = kzalloc(current, 'struct vfio_container', {
    kref: { refcount: refcount_init(exec, 'container->kref', 1) },
    group_lock: mutex_init(exec, '&container->group_lock'),
    group_list: [] as vfio_group[],
    iommu_driver: null as vfio_iommu_driver_ops | null,
    iommu_data: null as Tracked | null,
  });
  filep.private_data = container;
  return 0;
});

/** Drops the file's container reference; attached groups keep the container alive. */
const vfio_fops_release = traced('vfio_fops_release', function* (current: task_struct, _inode: inode, filep: file): Gen<number> {
  const container = filep.private_data as vfio_container;
  // driver->ops->notify(CONTAINER_CLOSE) only matters for type1's vaddr
  // updates, which the model does not have.
  filep.private_data = null;
  yield* vfio_container_put(current, container);
  return 0;
});

export const vfio_fops: file_operations = {
  name: 'vfio_fops',
  open: vfio_fops_open,
  release: vfio_fops_release,
  unlocked_ioctl: vfio_fops_unl_ioctl,
};

/** The container behind `f` if it is a /dev/vfio/vfio file (the caller holds a reference on f). */
export function vfio_container_from_file(f: file): vfio_container | null {
  if (f.f_op !== vfio_fops) return null;
  return f.private_data as vfio_container | null;
}

// ---- groups and containers (called with group->group_lock held) -------------

/**
 * Links `group` into `container` (lock order GL -> &container->group_lock);
 * the group takes a container reference and becomes its first user.
 */
export const vfio_container_attach_group = traced(
  'vfio_container_attach_group',
  function* (current: task_struct, container: vfio_container, group: vfio_group): Gen<number> {
    lockdep_assert_held(current, group.group_lock);
    yield* mutex_lock(current, container.group_lock); // down_write
    // iommu_group_claim_dma_owner and the driver's attach_group cannot fail in the model.
    group.container = container;
    group.container_users = 1;
    container.group_list.unshift(group);
    yield* kref_get(container.kref); // vfio_container_get: the group's reference
    yield* mutex_unlock(current, container.group_lock);
    return 0;
  },
);

/**
 * Unlinks `group` from its container; the last group takes the IOMMU driver
 * away. Drops the group's container reference (which may free it) after
 * releasing &container->group_lock.
 */
export const vfio_group_detach_container = traced(
  'vfio_group_detach_container',
  function* (current: task_struct, group: vfio_group): Gen {
    const container = group.container as vfio_container;
    lockdep_assert_held(current, group.group_lock);
    WARN_ON(current, group.container_users !== 1, 'group->container_users != 1 in vfio_group_detach_container');
    yield* mutex_lock(current, container.group_lock); // down_write
    const driver = container.iommu_driver; // its detach_group has no visible operation
    group.container = null;
    group.container_users = 0;
    container.group_list.splice(container.group_list.indexOf(group), 1);
    if (driver !== null && container.group_list.length === 0) {
      yield* driver.release(current, container.iommu_data as Tracked);
      container.iommu_driver = null;
      container.iommu_data = null;
    }
    yield* mutex_unlock(current, container.group_lock);
    yield* vfio_container_put(current, container);
  },
);

/**
 * A device of the group is being opened: it needs a container with an IOMMU
 * driver (-EINVAL otherwise). The device pins the group file (get_file of
 * opened_file), so the group fd's release cannot run while a device is open.
 * Also the body of v6.1's vfio_device_assign_container (called for every
 * open; renamed and moved to the first open by 04f930c3e44b, bab6fabc01d9).
 */
export function* __vfio_group_use_container(current: task_struct, group: vfio_group): Gen<number> {
  lockdep_assert_held(current, group.group_lock);
  const container = group.container;
  if (container === null) return -ERRNO.EINVAL;
  // iommu_driver is written under the container's lock, read here under GL only.
  const driver = yield* atomic(container, 'read', 'container->iommu_driver', () => container.iommu_driver);
  if (driver === null || WARN_ON(current, group.container_users === 0, 'group->container_users == 0')) {
    return -ERRNO.EINVAL;
  }
  yield* get_file(group.opened_file as file);
  group.container_users++;
  return 0;
}
export const vfio_group_use_container = traced('vfio_group_use_container', __vfio_group_use_container);

/**
 * The last close of a device drops its pin on the group file (a final fput
 * defers the group release to task work). Also the body of v6.1's
 * vfio_device_unassign_container (every close).
 */
export function* __vfio_group_unuse_container(current: task_struct, group: vfio_group): Gen {
  lockdep_assert_held(current, group.group_lock);
  WARN_ON(current, group.container_users <= 1, 'group->container_users <= 1 in vfio_group_unuse_container');
  group.container_users--;
  yield* fput(current, group.opened_file as file);
}
export const vfio_group_unuse_container = traced('vfio_group_unuse_container', __vfio_group_unuse_container);
