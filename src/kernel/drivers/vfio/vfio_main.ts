/**
 * drivers/vfio/vfio_main.c (v6.2; identical in v6.2-rc5) — device open/close
 * accounting under the device set's lock, the device fd, registration
 * references, and module init (vfio_init) building the host's groups and
 * devices.
 *
 * v6.2 specifics (changed in v6.3 by 2b48f52f2bff): the caller passes the
 * group's kvm pointer in, first open stores it in device->kvm without taking
 * a reference, and the driver's close_device runs with group_lock and
 * dev_set->lock held — so a driver's kvm_put_kvm there may destroy the VM
 * under both locks.
 */
import { traced } from '../../../rt/api.js';
import type { Gen } from '../../../rt/ops.js';
import { register_chrdev_path } from '../../fs/char_dev.js';
import { WARN_ON } from '../../include/linux/bug.js';
import type { file, file_operations, inode } from '../../include/linux/fs.js';
import type { kvm } from '../../include/linux/kvm_host.js';
import { lockdep_assert_held, mutex_init, mutex_lock, mutex_unlock } from '../../include/linux/mutex.js';
import { refcount_dec_and_test, refcount_inc_not_zero, refcount_init } from '../../include/linux/refcount.js';
import type { task_struct } from '../../include/linux/sched.js';
import { EXPORT_SYMBOL } from '../../kernel/module.js';
import type { Machine } from '../../machine.js';
import type { HostSpec } from '../../../scenario/program.js';
import { vfio_fops } from './container.js';
import { vfio_drivers } from './drivers.js';
import {
  vfio_device_group_close,
  vfio_device_group_unuse_iommu,
  vfio_device_group_use_iommu,
  vfio_file_enforced_coherent,
  vfio_file_is_group,
  vfio_file_set_kvm,
  vfio_group_fops,
} from './group.js';
import type { Fields, vfio_device, vfio_device_set, vfio_globals, vfio_group } from './vfio.js';

// ---- registration references -----------------------------------------------

/** A registration reference, unless the device is being unregistered (count 0). */
export const vfio_device_try_get_registration = traced(
  'vfio_device_try_get_registration',
  function* (_current: task_struct, device: vfio_device): Gen<boolean> {
    return yield* refcount_inc_not_zero(device.refcount);
  },
);

/**
 * Drops a registration reference. The last one would complete
 * device->comp for vfio_unregister_group_dev; devices are never unregistered
 * in the model, so nobody waits.
 */
export const vfio_device_put_registration = traced(
  'vfio_device_put_registration',
  function* (_current: task_struct, device: vfio_device): Gen {
    yield* refcount_dec_and_test(device.refcount);
  },
);

// ---- open / close accounting (dev_set->lock) --------------------------------

function vfio_assert_device_open(current: task_struct, device: vfio_device): boolean {
  return !WARN_ON(current, device.open_count === 0, `${device.name}: close of a device that is not open`);
}

/**
 * First open (GL and DS held): use the container (pins the group file),
 * publish the kvm pointer to the driver, call open_device; unwind on error.
 * The driver module is built in, so try_module_get cannot fail.
 */
const vfio_device_first_open = traced(
  'vfio_device_first_open',
  function* (current: task_struct, device: vfio_device, k: kvm | null): Gen<number> {
    lockdep_assert_held(current, device.dev_set.lock);
    let ret = yield* vfio_device_group_use_iommu(current, device);
    if (ret !== 0) return ret;
    device.kvm = k;
    const open_device = device.ops.open_device;
    if (open_device !== undefined) {
      ret = yield* open_device(current, device);
      if (ret !== 0) {
        device.kvm = null;
        yield* vfio_device_group_unuse_iommu(current, device);
        return ret;
      }
    }
    return 0;
  },
);

/**
 * Last close (GL and DS held): the driver's close_device first — kvmgt drops
 * its kvm reference there — then forget the kvm pointer and unuse the
 * container (the fput of the group file; if final, its release is task work).
 */
const vfio_device_last_close = traced('vfio_device_last_close', function* (current: task_struct, device: vfio_device): Gen {
  lockdep_assert_held(current, device.dev_set.lock);
  const close_device = device.ops.close_device;
  if (close_device !== undefined) yield* close_device(current, device);
  device.kvm = null;
  yield* vfio_device_group_unuse_iommu(current, device);
});

/** Counts an open of `device` under DS; the first one really opens it. Called with GL held. */
export const vfio_device_open = traced(
  'vfio_device_open',
  function* (current: task_struct, device: vfio_device, k: kvm | null): Gen<number> {
    let ret = 0;
    yield* mutex_lock(current, device.dev_set.lock);
    device.open_count++;
    if (device.open_count === 1) {
      ret = yield* vfio_device_first_open(current, device, k);
      if (ret !== 0) device.open_count--;
    }
    yield* mutex_unlock(current, device.dev_set.lock);
    return ret;
  },
);

/** Counts a close under DS; the last one really closes. Called with GL held. */
export const vfio_device_close = traced('vfio_device_close', function* (current: task_struct, device: vfio_device): Gen {
  yield* mutex_lock(current, device.dev_set.lock);
  vfio_assert_device_open(current, device);
  if (device.open_count === 1) yield* vfio_device_last_close(current, device);
  device.open_count--;
  yield* mutex_unlock(current, device.dev_set.lock);
});

// ---- the device fd ------------------------------------------------------------

/** Final fput of a device fd: close the device (GL -> DS), then drop the file's registration reference. */
const vfio_device_fops_release = traced(
  'vfio_device_fops_release',
  function* (current: task_struct, _inode: inode, filep: file): Gen<number> {
    const device = filep.private_data as vfio_device;
    yield* vfio_device_group_close(current, device);
    yield* vfio_device_put_registration(current, device);
    return 0;
  },
);

/**
 * The "[vfio-device]" file. Device ioctls (regions, irqs, reset) are not
 * modelled; without unlocked_ioctl every request gets -ENOTTY, which is what
 * vfio-pci and kvmgt answer for requests they do not know.
 */
export const vfio_device_fops: file_operations = {
  name: 'vfio_device_fops',
  release: vfio_device_fops_release,
};

// ---- module init -------------------------------------------------------------

/** VFIO's boot-time state, or null when the kernel has no VFIO. */
export function vfio_globals_of(machine: Machine): vfio_globals | null {
  return (machine.globals.get('vfio') as vfio_globals | undefined) ?? null;
}

/**
 * vfio_init plus the host's device probing: registers /dev/vfio/vfio and one
 * /dev/vfio/<id> per group, creates the groups and devices as fixtures (not
 * owned: never leaks), binds every device to its driver, and exports the
 * group-file functions kvm-vfio looks up with symbol_get. `host === null`
 * models a kernel without VFIO: nothing is registered or exported.
 */
export function vfio_init(machine: Machine, host: HostSpec['vfio']): void {
  if (host === null) return;
  const exec = machine.exec;
  register_chrdev_path(machine.chrdevs, '/dev/vfio/vfio', vfio_fops);
  const groups: vfio_group[] = [];
  const devices: vfio_device[] = [];
  for (const hg of host.groups) {
    const first = hg.devices[0];
    const group = exec.alloc<Fields<vfio_group>>(
      'struct vfio_group',
      {
        id: hg.id,
        type: first !== undefined ? vfio_drivers[first.driver].group_type : 'VFIO_IOMMU',
        // One per bound device (vfio_group_find_or_alloc counts drivers).
        drivers: refcount_init(exec, 'group->drivers', hg.devices.length),
        group_lock: mutex_init(exec, '&group->group_lock'),
        opened_file: null,
        kvm: null,
        container: null,
        container_users: 0,
        device_lock: mutex_init(exec, '&group->device_lock'),
        device_list: [],
      },
      false,
    );
    for (const hd of hg.devices) {
      const driver = vfio_drivers[hd.driver];
      // Each device is its own reset set (no shared slot/bus reset modelled).
      const dev_set = exec.alloc<Fields<vfio_device_set>>(
        'struct vfio_device_set',
        { lock: mutex_init(exec, '&dev_set->lock'), device_list: [] },
        false,
      );
      const device = exec.alloc<Fields<vfio_device>>(
        'struct vfio_device',
        {
          name: hd.name,
          ops: driver.ops,
          dev_set,
          group,
          open_count: 0,
          kvm: null,
          refcount: refcount_init(exec, 'device->refcount', 1),
          coherent: driver.coherent,
          priv: null,
        },
        false,
      );
      dev_set.device_list.push(device);
      const err = driver.ops.init?.(machine, device) ?? 0;
      if (err !== 0) throw new Error(`vfio_init: ${hd.driver} init of ${hd.name} failed: ${err}`);
      group.device_list.push(device);
      devices.push(device);
    }
    register_chrdev_path(machine.chrdevs, `/dev/vfio/${hg.id}`, vfio_group_fops, group);
    groups.push(group);
  }
  machine.globals.set('vfio', { groups, devices } satisfies vfio_globals);
  EXPORT_SYMBOL(machine, 'vfio_file_is_group', vfio_file_is_group);
  EXPORT_SYMBOL(machine, 'vfio_file_set_kvm', vfio_file_set_kvm);
  EXPORT_SYMBOL(machine, 'vfio_file_enforced_coherent', vfio_file_enforced_coherent);
}
