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
   * 51cdc8bc120e "kvm/vfio: Fix potential deadlock on vfio group_lock" (v6.2-rc6).
   */
  readonly kvmVfioFreesOn: 'destroy' | 'release';
}

export interface KernelVersion {
  readonly name: string;
  /** What this version is, for `kvmsim list`. */
  readonly about: string;
  readonly switches: KernelSwitches;
}

export const SWITCH_COMMITS: { readonly [K in keyof KernelSwitches]: string } = {
  kvmVfioFreesOn: '51cdc8bc120e kvm/vfio: Fix potential deadlock on vfio group_lock',
};

export const KERNEL_VERSIONS: readonly KernelVersion[] = [
  {
    name: 'v6.2-rc5',
    about: 'last tag before 51cdc8bc120e: kvm-vfio frees on destroy',
    switches: { kvmVfioFreesOn: 'destroy' },
  },
  {
    name: 'v6.2',
    about: 'kvm-vfio frees on release (51cdc8bc120e); group->kvm still under group_lock',
    switches: { kvmVfioFreesOn: 'release' },
  },
];

/** Version names in order, oldest first. */
export const VERSION_NAMES: readonly string[] = KERNEL_VERSIONS.map((v) => v.name);

export function kernelVersion(name: string): KernelVersion | undefined {
  return KERNEL_VERSIONS.find((v) => v.name === name);
}
