/**
 * drivers/vfio/vfio.h and include/linux/vfio.h (v6.2; the v6.3 fields are
 * marked) — the VFIO core's
 * objects as the model needs them: groups (/dev/vfio/<id>), devices and their
 * reset sets, containers (/dev/vfio/vfio) and the driver callbacks.
 *
 * Lock classes (lockdep names) and what they protect:
 * - "&group->group_lock" (GL): the group's container association, its
 *   container_users, opened_file and — up to v6.2 inclusive — group->kvm.
 * - "&group->kvm_ref_lock" (KRL, a spinlock, v6.3+): group->kvm.
 * - "&group->device_lock" (DL): the group's device_list.
 * - "&dev_set->lock" (DS): open_count and kvm of every device of the set.
 * - "&container->group_lock": the container's group_list and iommu driver
 *   (an rw_semaphore in the kernel, modelled as a mutex: readers exclude
 *   each other too, which only removes interleavings, never adds a lock
 *   dependency).
 */
import type { META, Tracked } from '../../../rt/object.js';
import type { Gen } from '../../../rt/ops.js';
import type { file } from '../../include/linux/fs.js';
import type { kref } from '../../include/linux/kref.js';
import type { kvm } from '../../include/linux/kvm_host.js';
import type { mutex } from '../../include/linux/mutex.js';
import type { refcount_t } from '../../include/linux/refcount.js';
import type { task_struct } from '../../include/linux/sched.js';
import type { spinlock_t } from '../../include/linux/spinlock.js';
import type { Machine } from '../../machine.js';

/** The plain fields of a tracked struct: what exec.alloc / kzalloc are given. */
export type Fields<T extends Tracked> = Omit<T, typeof META>;

/**
 * enum vfio_group_type: physical devices sit in a real IOMMU group; mdevs
 * such as a GVT-g vGPU sit in an emulated one (no device IOMMU behind them).
 */
export type vfio_group_type = 'VFIO_IOMMU' | 'VFIO_EMULATED_IOMMU';

/**
 * struct vfio_device_ops: the driver's callbacks. `init` runs once when the
 * device is created at boot (vfio_alloc_device), outside any task.
 * open_device/close_device run with the group's GL and the set's DS held.
 */
export interface vfio_device_ops {
  readonly name: string;
  readonly init?: (machine: Machine, device: vfio_device) => number;
  readonly open_device?: (current: task_struct, device: vfio_device) => Gen<number>;
  readonly close_device?: (current: task_struct, device: vfio_device) => Gen;
}

/** struct vfio_device_set: devices that must be reset together share one DS. */
export interface vfio_device_set extends Tracked {
  /** "&dev_set->lock". */
  readonly lock: mutex;
  readonly device_list: vfio_device[];
}

/** struct vfio_device. */
export interface vfio_device extends Tracked {
  /** dev_name(), what VFIO_GROUP_GET_DEVICE_FD matches. */
  readonly name: string;
  readonly ops: vfio_device_ops;
  readonly dev_set: vfio_device_set;
  readonly group: vfio_group;
  /** Protected by dev_set->lock. */
  open_count: number;
  /**
   * Protected by dev_set->lock; copied from group->kvm at first open (under
   * GL too). VFIO core holds no reference in v6.2: "Driver must reference
   * the kvm during open_device or never touch it". From v6.3 (2b48f52f2bff)
   * set only together with a reference the core holds until the last close.
   */
  kvm: kvm | null;
  /** v6.3+: the symbol_get'd kvm_put_kvm that drops the core's reference (under dev_set->lock). */
  put_kvm: ((current: task_struct, k: kvm) => Gen) | null;
  /**
   * Registration reference (refcount + completion in the kernel): 1 while
   * registered, +1 per open device fd.
   */
  readonly refcount: refcount_t;
  /** Host property: device_iommu_capable(IOMMU_CAP_ENFORCE_CACHE_COHERENCY). */
  readonly coherent: boolean;
  /** The driver's per-device state (container_of in the kernel). */
  priv: unknown;
}

/** struct vfio_group. */
export interface vfio_group extends Tracked {
  /** iommu_group_id: the N of /dev/vfio/N. */
  readonly id: number;
  readonly type: vfio_group_type;
  /** Bound drivers; 0 while the group is being removed (never, in the model). */
  readonly drivers: refcount_t;
  /** "&group->group_lock". */
  readonly group_lock: mutex;
  /** The single open group file (under GL); a second open gets -EBUSY. */
  opened_file: file | null;
  /** Set by kvm-vfio through vfio_file_set_kvm, under GL (KRL from v6.3); no reference held. */
  kvm: kvm | null;
  /** "&group->kvm_ref_lock": v6.3+ only (`vfioGroupKvmLock`), null before. */
  readonly kvm_ref_lock: spinlock_t | null;
  /** Under GL. */
  container: vfio_container | null;
  /** Under GL: 1 for the attachment itself, +1 per open device. */
  container_users: number;
  /** "&group->device_lock". */
  readonly device_lock: mutex;
  /** Under DL. */
  readonly device_list: vfio_device[];
}

/**
 * struct vfio_iommu_driver_ops, reduced to what container.c calls: the
 * VFIO_CHECK_EXTENSION probe and open/release of the per-container data.
 */
export interface vfio_iommu_driver_ops {
  readonly name: string;
  readonly check_extension: (arg: number) => number;
  /** Returns the driver's data for the container, or a negative errno. */
  readonly open: (current: task_struct, arg: number) => Tracked | number;
  readonly release: (current: task_struct, data: Tracked) => Gen;
}

/** struct vfio_container: one per open of /dev/vfio/vfio, freed through its kref. */
export interface vfio_container extends Tracked {
  /** One for the container file, one per attached group. */
  readonly kref: kref;
  /** "&container->group_lock" (an rw_semaphore in the kernel). */
  readonly group_lock: mutex;
  /** Under container->group_lock. */
  readonly group_list: vfio_group[];
  /** Under container->group_lock; set by VFIO_SET_IOMMU. */
  iommu_driver: vfio_iommu_driver_ops | null;
  iommu_data: Tracked | null;
}

/** VFIO's boot-time state: the host's groups and devices (fixtures). */
export interface vfio_globals {
  readonly groups: readonly vfio_group[];
  readonly devices: readonly vfio_device[];
}
