/**
 * The host's VFIO groups and devices as boot-time probing leaves them: what
 * the buses' probe routines, the drivers' vfio_alloc_device (ops->init),
 * vfio_assign_device_set and vfio_register_group_dev /
 * vfio_register_emulated_iommu_dev (vfio_group_find_or_alloc) would have
 * created before any task runs. Not a kernel file: the kernel builds these
 * from the hardware, the model from the scenario's host description.
 */
import { mutex_init } from '../../include/linux/mutex.js';
import { refcount_init } from '../../include/linux/refcount.js';
import { spin_lock_init } from '../../include/linux/spinlock.js';
import type { Machine } from '../../machine.js';
import type { HostDevice, HostSpec } from '../../../scenario/program.js';
import { unordered } from '../../../rt/unordered.js';
import { vfio_drivers } from './drivers.js';
import type { Fields, vfio_device, vfio_device_set, vfio_globals, vfio_group } from './vfio.js';

/** Creates every group and device of `host` as fixtures (not owned: never leak). */
export function vfio_probe_host(machine: Machine, host: NonNullable<HostSpec['vfio']>): vfio_globals {
  const exec = machine.exec;
  const groups: vfio_group[] = [];
  const devices: vfio_device[] = [];
  // The parents' probes first (i915 creates its GVT state before any vGPU): what a driver's devices share is the host's.
  for (const name of new Set(host.groups.flatMap((hg) => hg.devices.map((hd) => hd.driver)))) vfio_drivers[name].parent_probe?.(machine);
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
        // vfio_group_alloc: spin_lock_init(&group->kvm_ref_lock) since 2b48f52f2bff.
        kvm_ref_lock: machine.switches.vfioGroupKvmLock === 'kvm_ref_lock' ? spin_lock_init(exec, '&group->kvm_ref_lock') : null,
        container: null,
        container_users: 0,
        device_lock: mutex_init(exec, '&group->device_lock'),
        // Searched by name (vfio_device_get_from_name) and for a property all share: order-insensitive.
        device_list: unordered<vfio_device>([], 'group->device_list'),
      },
      false,
    );
    for (const hd of hg.devices) {
      // A device's objects are named after it (Execution.hostScope): identical devices' correspond one to one.
      const device = exec.hostScope(deviceScope(hd.name), () => vfio_probe_device(machine, group, hd));
      group.device_list.push(device);
      devices.push(device);
    }
    groups.push(group);
  }
  return { groups, devices };
}

/** The owner a host device's objects are named after: "(gvt0)" (never a thread's name). */
export function deviceScope(name: string): string {
  return `(${name})`;
}

/** One device of a group: its reset set, the vfio_device and the driver's part of it (ops->init). */
function vfio_probe_device(machine: Machine, group: vfio_group, hd: HostDevice): vfio_device {
  const exec = machine.exec;
  const driver = vfio_drivers[hd.driver];
  // Each device is its own reset set (no shared slot/bus reset modelled).
  const dev_set = exec.alloc<Fields<vfio_device_set>>('struct vfio_device_set', { lock: mutex_init(exec, '&dev_set->lock'), device_list: [] }, false);
  const device = exec.alloc<Fields<vfio_device>>(
    'struct vfio_device',
    {
      name: hd.name,
      ops: driver.ops,
      dev_set,
      group,
      open_count: 0,
      kvm: null,
      put_kvm: null,
      refcount: refcount_init(exec, 'device->refcount', 1),
      coherent: driver.coherent,
      priv: null,
    },
    false,
  );
  dev_set.device_list.push(device);
  const err = driver.ops.init?.(machine, device) ?? 0;
  if (err !== 0) throw new Error(`vfio_init: ${hd.driver} init of ${hd.name} failed: ${err}`);
  return device;
}
