/**
 * drivers/vfio/vfio_main.c (v6.2; identical in v6.2-rc5) — device open/close
 * accounting under the device set's lock, the device fd, registration
 * references, and module init (vfio_init).
 *
 * v6.2: the caller passes the group's kvm pointer in, first open stores it in
 * device->kvm without taking a reference, and the driver's close_device runs
 * with group_lock and dev_set->lock held — so a driver's kvm_put_kvm there
 * may destroy the VM under both locks.
 * v6.3 (2b48f52f2bff, `vfioDeviceKvmRef: core`): group.c takes dev_set->lock
 * and the core's own kvm reference (_vfio_device_get_kvm_safe) around
 * vfio_device_open; vfio_device_put_kvm drops it after the last close.
 * v6.1 (`vfioDeviceLockOrder`: dev_set->lock first) opens and closes devices
 * along another path: vfio_main_ds_first.ts.
 */
import { traced } from '../../../rt/api.js';
import type { Gen } from '../../../rt/ops.js';
import { register_chrdev_path } from '../../fs/char_dev.js';
import { WARN_ON } from '../../include/linux/bug.js';
import type { file, file_operations, inode } from '../../include/linux/fs.js';
import type { kvm } from '../../include/linux/kvm_host.js';
import { lockdep_assert_held, mutex_lock, mutex_unlock } from '../../include/linux/mutex.js';
import { refcount_dec_and_test, refcount_inc_not_zero } from '../../include/linux/refcount.js';
import type { task_struct } from '../../include/linux/sched.js';
import { EXPORT_SYMBOL, symbol_get } from '../../kernel/module.js';
import type { Machine } from '../../machine.js';
import type { HostSpec } from '../../../scenario/program.js';
import { vfio_fops } from './container.js';
import { vfio_group_fops } from './group.js';
import { vfio_device_group_close, vfio_device_group_unuse_iommu, vfio_device_group_use_iommu } from './group_device.js';
import { vfio_file_enforced_coherent, vfio_file_is_group, vfio_file_set_kvm } from './group_file.js';
import { vfio_device_fops_release_ds_first } from './vfio_main_ds_first.js';
import { vfio_probe_host } from './probe.js';
import type { vfio_device, vfio_globals } from './vfio.js';

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

// ---- the core's kvm reference (v6.3+) -----------------------------------------

type kvm_get_kvm_safe_t = (current: task_struct, k: kvm) => Gen<boolean>;
type kvm_put_kvm_t = (current: task_struct, k: kvm) => Gen;

/**
 * _vfio_device_get_kvm_safe (v6.3, 2b48f52f2bff; DS held): symbol_get
 * kvm_put_kvm, then kvm_get_kvm_safe; if the VM is already being destroyed
 * the device stays without a kvm. Otherwise device->kvm and device->put_kvm
 * are set and the reference is the core's until vfio_device_put_kvm.
 */
export const _vfio_device_get_kvm_safe = traced(
  '_vfio_device_get_kvm_safe',
  function* (current: task_struct, device: vfio_device, k: kvm): Gen {
    lockdep_assert_held(current, device.dev_set.lock);
    const pfn = symbol_get<kvm_put_kvm_t>(current.machine, 'kvm_put_kvm');
    if (WARN_ON(current, pfn === null, 'symbol_get(kvm_put_kvm)') || pfn === null) return;
    const fn = symbol_get<kvm_get_kvm_safe_t>(current.machine, 'kvm_get_kvm_safe');
    if (WARN_ON(current, fn === null, 'symbol_get(kvm_get_kvm_safe)') || fn === null) return;
    if (!(yield* fn(current, k))) return;
    device.put_kvm = pfn;
    device.kvm = k;
  },
);

/** vfio_device_put_kvm (v6.3; DS held): drops the core's reference — possibly the VM's last. */
export const vfio_device_put_kvm = traced('vfio_device_put_kvm', function* (current: task_struct, device: vfio_device): Gen {
  lockdep_assert_held(current, device.dev_set.lock);
  const k = device.kvm;
  if (k === null) return;
  const put_kvm = device.put_kvm;
  if (!WARN_ON(current, put_kvm === null, 'device->put_kvm is NULL') && put_kvm !== null) {
    yield* put_kvm(current, k);
    device.put_kvm = null;
  }
  device.kvm = null;
});

// ---- open / close accounting (dev_set->lock) --------------------------------

function vfio_assert_device_open(current: task_struct, device: vfio_device): boolean {
  return !WARN_ON(current, device.open_count === 0, `${device.name}: close of a device that is not open`);
}

/** Whether the core holds the kvm reference and group.c takes dev_set->lock (2b48f52f2bff). */
function core_kvm_ref(current: task_struct): boolean {
  return current.machine.switches.vfioDeviceKvmRef === 'core';
}

/**
 * First open (GL and DS held): use the container (pins the group file),
 * publish the kvm pointer to the driver (v6.2; from v6.3 the core already
 * set it with its reference), call open_device; unwind on error. The driver
 * module is built in, so try_module_get cannot fail.
 */
const vfio_device_first_open = traced(
  'vfio_device_first_open',
  function* (current: task_struct, device: vfio_device, k: kvm | null): Gen<number> {
    lockdep_assert_held(current, device.dev_set.lock);
    let ret = yield* vfio_device_group_use_iommu(current, device);
    if (ret !== 0) return ret;
    if (!core_kvm_ref(current)) device.kvm = k;
    const open_device = device.ops.open_device;
    if (open_device !== undefined) {
      ret = yield* open_device(current, device);
      if (ret !== 0) {
        if (!core_kvm_ref(current)) device.kvm = null;
        yield* vfio_device_group_unuse_iommu(current, device);
        return ret;
      }
    }
    return 0;
  },
);

/**
 * Last close (GL and DS held): the driver's close_device first — kvmgt drops
 * its kvm reference there — then (v6.2) forget the kvm pointer and unuse the
 * container (the fput of the group file; if final, its release is task work).
 */
const vfio_device_last_close = traced('vfio_device_last_close', function* (current: task_struct, device: vfio_device): Gen {
  lockdep_assert_held(current, device.dev_set.lock);
  const close_device = device.ops.close_device;
  if (close_device !== undefined) yield* close_device(current, device);
  if (!core_kvm_ref(current)) device.kvm = null;
  yield* vfio_device_group_unuse_iommu(current, device);
});

/**
 * Counts an open of `device`; the first one really opens it. Called with GL
 * held; takes DS itself (v6.2) or asserts the caller holds it (v6.3+).
 */
export const vfio_device_open = traced(
  'vfio_device_open',
  function* (current: task_struct, device: vfio_device, k: kvm | null): Gen<number> {
    let ret = 0;
    if (core_kvm_ref(current)) lockdep_assert_held(current, device.dev_set.lock);
    else yield* mutex_lock(current, device.dev_set.lock);
    device.open_count++;
    if (device.open_count === 1) {
      ret = yield* vfio_device_first_open(current, device, k);
      if (ret !== 0) device.open_count--;
    }
    if (!core_kvm_ref(current)) yield* mutex_unlock(current, device.dev_set.lock);
    return ret;
  },
);

/** Counts a close; the last one really closes. Called with GL held; DS as for vfio_device_open. */
export const vfio_device_close = traced('vfio_device_close', function* (current: task_struct, device: vfio_device): Gen {
  if (core_kvm_ref(current)) lockdep_assert_held(current, device.dev_set.lock);
  else yield* mutex_lock(current, device.dev_set.lock);
  vfio_assert_device_open(current, device);
  if (device.open_count === 1) yield* vfio_device_last_close(current, device);
  device.open_count--;
  if (!core_kvm_ref(current)) yield* mutex_unlock(current, device.dev_set.lock);
});

// ---- the device fd ------------------------------------------------------------

/**
 * Final fput of a device fd: close the device (GL -> DS), then drop the
 * file's registration reference. v6.1 closes along its own path (DS -> GL).
 */
const vfio_device_fops_release = traced(
  'vfio_device_fops_release',
  function* (current: task_struct, _inode: inode, filep: file): Gen<number> {
    const device = filep.private_data as vfio_device;
    if (current.machine.switches.vfioDeviceLockOrder === 'dev_set->lock, group_lock') {
      yield* vfio_device_fops_release_ds_first(current, device);
      return 0;
    }
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
 * vfio_init plus the host's device probing (probe.ts): registers
 * /dev/vfio/vfio and one /dev/vfio/<id> per group, and exports the
 * group-file functions kvm-vfio looks up with symbol_get. `host === null`
 * models a kernel without VFIO: nothing is registered or exported.
 */
export function vfio_init(machine: Machine, host: HostSpec['vfio']): void {
  if (host === null) return;
  register_chrdev_path(machine.chrdevs, '/dev/vfio/vfio', vfio_fops);
  const g = vfio_probe_host(machine, host);
  for (const group of g.groups) register_chrdev_path(machine.chrdevs, `/dev/vfio/${group.id}`, vfio_group_fops, group);
  machine.globals.set('vfio', g);
  EXPORT_SYMBOL(machine, 'vfio_file_is_group', vfio_file_is_group);
  EXPORT_SYMBOL(machine, 'vfio_file_set_kvm', vfio_file_set_kvm);
  EXPORT_SYMBOL(machine, 'vfio_file_enforced_coherent', vfio_file_enforced_coherent);
}
