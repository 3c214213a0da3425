/**
 * drivers/vfio/group.c (continued; v6.2, v6.3 changes marked) — the
 * group-file functions exported to kvm-vfio (EXPORT_SYMBOL_GPL, reached by
 * symbol_get), and the group's kvm pointer they set. v6.1 had the same
 * functions in vfio_main.c (moved by 9eefba8002c2).
 *
 * group->kvm is written by vfio_file_set_kvm and read at a device's first
 * open. Up to v6.2 both sides hold &group->group_lock; 2b48f52f2bff (v6.3,
 * `vfioGroupKvmLock`) protects it with the spinlock &group->kvm_ref_lock
 * instead, so kvm-vfio's release (kvm->lock held) no longer waits for
 * group_lock, which device open holds across the driver's open_device.
 */
import { traced } from '../../../rt/api.js';
import type { Gen } from '../../../rt/ops.js';
import type { file } from '../../include/linux/fs.js';
import type { kvm } from '../../include/linux/kvm_host.js';
import { mutex_lock, mutex_unlock } from '../../include/linux/mutex.js';
import type { task_struct } from '../../include/linux/sched.js';
import { spin_lock, spin_unlock, type spinlock_t } from '../../include/linux/spinlock.js';
import { vfio_group_fops } from './group.js';
import type { vfio_device, vfio_group } from './vfio.js';
import { _vfio_device_get_kvm_safe } from './vfio_main.js';

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
    const ret = !current.thread.exec.some(group.device_list, (device) => !device.coherent);
    yield* mutex_unlock(current, group.device_lock);
    return ret;
  },
);

function kvm_ref_lock(group: vfio_group): spinlock_t {
  if (group.kvm_ref_lock === null) throw new Error('group->kvm_ref_lock used before 2b48f52f2bff');
  return group.kvm_ref_lock;
}

/**
 * Records the VM a group belongs to; no reference on `kvm` is taken. v6.2:
 * under group_lock (GL) — the lock that device open/close hold across the
 * driver's open_device/close_device. v6.3+: under the spinlock kvm_ref_lock.
 */
export const vfio_file_set_kvm = traced('vfio_file_set_kvm', function* (current: task_struct, f: file, k: kvm | null): Gen {
  const group = f.private_data as vfio_group;
  if (!vfio_file_is_group(f)) return;
  if (current.machine.switches.vfioGroupKvmLock === 'kvm_ref_lock') {
    yield* spin_lock(current, kvm_ref_lock(group));
    group.kvm = k;
    yield* spin_unlock(current, kvm_ref_lock(group));
    return;
  }
  yield* mutex_lock(current, group.group_lock);
  group.kvm = k;
  yield* mutex_unlock(current, group.group_lock);
});

/**
 * vfio_device_group_get_kvm_safe (v6.3, 2b48f52f2bff; GL and DS held, before
 * the first open): under kvm_ref_lock, the core takes its own reference on
 * the group's VM, if there is one and it is not already being destroyed.
 */
export const vfio_device_group_get_kvm_safe = traced(
  'vfio_device_group_get_kvm_safe',
  function* (current: task_struct, device: vfio_device): Gen {
    const group = device.group;
    yield* spin_lock(current, kvm_ref_lock(group));
    const k = group.kvm;
    if (k !== null) yield* _vfio_device_get_kvm_safe(current, device, k);
    yield* spin_unlock(current, kvm_ref_lock(group));
  },
);
