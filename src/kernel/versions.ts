/**
 * Kernel versions as data: each version is a set of behaviour switches, and
 * each switch cites the commit that flipped it. Model code branches on
 * switches, never on version names, so one function serves every version and
 * a reader sees exactly what changed and why.
 */

/** The behaviour switches, each with the commit that introduced the newer behaviour. */
export interface KernelSwitches {
  /**
   * kvm-vfio frees its state from `.destroy` (called by kvm_destroy_vm, in
   * whatever context drops the last kvm reference) or from `.release` (called
   * when its own fd closes, under kvm->lock).
   */
  readonly kvmVfioFreesOn: 'destroy' | 'release';
  /**
   * Device open/close in the VFIO core: v6.1 takes dev_set->lock, then
   * group_lock only around open_device/close_device (and takes group_lock
   * alone, before and after, to pin the container on every open); v6.2-rc1
   * takes group_lock first (vfio_device_group_open/close), then
   * dev_set->lock, and pins the container on the first open only.
   */
  readonly vfioDeviceLockOrder: 'dev_set->lock, group_lock' | 'group_lock, dev_set->lock';
  /** VFIO_GROUP_SET_CONTAINER with an fd that is neither a container nor an iommufd. */
  readonly vfioSetContainerBadFd: 'EINVAL' | 'EBADFD';
  /**
   * What protects group->kvm in vfio_file_set_kvm and at device open:
   * group_lock (the lock device open/close hold around the driver's
   * callbacks) or the spinlock group->kvm_ref_lock.
   */
  readonly vfioGroupKvmLock: 'group_lock' | 'kvm_ref_lock';
  /**
   * Who references the kvm a device is opened with: only the drivers that
   * need it (kvmgt, vfio-ap: "Driver must reference the kvm during
   * open_device or never touch it"), or also the VFIO core, from the first
   * open (kvm_get_kvm_safe; the device opens without a kvm if the VM is
   * dying) to the last close (vfio_device_put_kvm), with dev_set->lock held.
   */
  readonly vfioDeviceKvmRef: 'driver' | 'core';
  /** kvm-vfio's names: kvm_vfio_group_add/del, struct kvm_vfio_group, group_list — or the _file_ forms. */
  readonly kvmVfioNames: 'group' | 'file';
  /** Whether FILE_ADD calls vfio_file_set_kvm with kv->lock held (before: after dropping it). */
  readonly kvmVfioAddSetKvmLocked: boolean;
  /**
   * Whether kvm_vfio_update_coherency runs with kv->lock held by its callers
   * (ADD and DEL call it before dropping the lock; release calls it unlocked)
   * instead of taking kv->lock itself after the callers dropped it.
   */
  readonly kvmVfioCoherencyUnderCallerLock: boolean;
  /**
   * kvm->devices as an rculist: list_add_rcu/list_del_rcu, synchronize_rcu
   * before a device's release (fd close and create-error path), and
   * lockdep_assert_held(&kvm->lock) in kvm_vfio_create.
   */
  readonly kvmDevicesRculist: boolean;
  /**
   * Whether kvm-vfio counts attached files in x86's assigned_device_count
   * (kvm_arch_start/end_assignment on ADD, DEL and teardown).
   */
  readonly kvmVfioArchAssignment: boolean;
}

export interface KernelVersion {
  readonly name: string;
  /** What this version is, for `kvmsim list`. */
  readonly about: string;
  readonly switches: KernelSwitches;
}

export const SWITCH_COMMITS: { readonly [K in keyof KernelSwitches]: string } = {
  kvmVfioFreesOn: '51cdc8bc120e kvm/vfio: Fix potential deadlock on vfio group_lock (v6.2-rc6)',
  vfioDeviceLockOrder:
    '5c8d3d93f6a7 vfio: Refactor vfio_device open and close (v6.2-rc1; after 294aaccb5013 and bab6fabc01d9 moved the container pin to the first open)',
  vfioSetContainerBadFd: '2a3dab19a0a6 vfio-iommufd: Allow iommufd to be used in place of a container fd (v6.2-rc1)',
  vfioGroupKvmLock: '2b48f52f2bff vfio: fix deadlock between group lock and kvm lock (v6.3-rc1)',
  vfioDeviceKvmRef: '2b48f52f2bff vfio: fix deadlock between group lock and kvm lock (v6.3-rc1)',
  kvmVfioNames: '2f99073a722b kvm/vfio: Prepare for accepting vfio device fd (v6.6-rc1)',
  kvmVfioAddSetKvmLocked: '9e0f4f2918c2 kvm/vfio: ensure kvg instance stays around in kvm_vfio_group_add() (v6.6-rc1)',
  kvmVfioCoherencyUnderCallerLock: '73e2f19da508 kvm/vfio: avoid bouncing the mutex when adding and deleting groups (v6.6-rc1)',
  kvmDevicesRculist: 'ea54dd374232 KVM: Treat the device list as an rculist (v6.10-rc1)',
  kvmVfioArchAssignment: 'bbc13ae593e0 VFIO: KVM: x86: Drop kvm_arch_{start,end}_assignment() (v6.17-rc1)',
};

const V6_1: KernelSwitches = {
  kvmVfioFreesOn: 'destroy',
  vfioDeviceLockOrder: 'dev_set->lock, group_lock',
  vfioSetContainerBadFd: 'EINVAL',
  vfioGroupKvmLock: 'group_lock',
  vfioDeviceKvmRef: 'driver',
  kvmVfioNames: 'group',
  kvmVfioAddSetKvmLocked: false,
  kvmVfioCoherencyUnderCallerLock: false,
  kvmDevicesRculist: false,
  kvmVfioArchAssignment: true,
};
const V6_2_RC5: KernelSwitches = { ...V6_1, vfioDeviceLockOrder: 'group_lock, dev_set->lock', vfioSetContainerBadFd: 'EBADFD' };
const V6_2: KernelSwitches = { ...V6_2_RC5, kvmVfioFreesOn: 'release' };
const V6_3: KernelSwitches = { ...V6_2, vfioGroupKvmLock: 'kvm_ref_lock', vfioDeviceKvmRef: 'core' };
const V6_6: KernelSwitches = {
  ...V6_3,
  kvmVfioNames: 'file',
  kvmVfioAddSetKvmLocked: true,
  kvmVfioCoherencyUnderCallerLock: true,
};
const V6_18: KernelSwitches = { ...V6_6, kvmDevicesRculist: true, kvmVfioArchAssignment: false };

export const KERNEL_VERSIONS: readonly KernelVersion[] = [
  {
    name: 'v6.1',
    about: 'kvm-vfio frees on destroy; VFIO group code in vfio_main.c: device open/close take dev_set->lock, then group_lock',
    switches: V6_1,
  },
  {
    name: 'v6.2-rc5',
    about: 'last tag before 51cdc8bc120e: kvm-vfio frees on destroy; group.c takes group_lock, then dev_set->lock',
    switches: V6_2_RC5,
  },
  {
    name: 'v6.2',
    about: 'kvm-vfio frees on release (51cdc8bc120e); group->kvm still under group_lock',
    switches: V6_2,
  },
  {
    name: 'v6.3',
    about: 'group->kvm under kvm_ref_lock; the VFIO core holds its own kvm reference while a device is open (2b48f52f2bff)',
    switches: V6_3,
  },
  {
    name: 'v6.6',
    about: 'kvm-vfio FILE_ADD tells VFIO and updates coherency under kv->lock (9e0f4f2918c2, 73e2f19da508); kvm_vfio_file_* names',
    switches: V6_6,
  },
  {
    name: 'v6.18',
    about: 'kvm->devices is an rculist, synchronize_rcu before a device release (ea54dd374232); no kvm_arch_start/end_assignment (bbc13ae593e0)',
    switches: V6_18,
  },
];

/** Version names in order, oldest first. */
export const VERSION_NAMES: readonly string[] = KERNEL_VERSIONS.map((v) => v.name);

export function kernelVersion(name: string): KernelVersion | undefined {
  return KERNEL_VERSIONS.find((v) => v.name === name);
}
