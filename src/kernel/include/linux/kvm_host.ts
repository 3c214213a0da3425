/**
 * include/linux/kvm_host.h — struct kvm, struct kvm_device and
 * struct kvm_device_ops as the model needs them (v6.2).
 */
import type { Tracked } from '../../../rt/object.js';
import type { Gen } from '../../../rt/ops.js';
import type { mutex } from './mutex.js';
import type { refcount_t } from './refcount.js';
import type { mm_struct, task_struct } from './sched.js';
import type { spinlock_t } from './spinlock.js';
import type { ioctl_arg, user_ptr } from './uaccess.js';

export interface kvm extends Tracked {
  /** One reference per VM fd, device fd, and whatever drivers take (kvmgt). */
  readonly users_count: refcount_t;
  /** "&kvm->lock": protects `devices`; held around create and release of devices. */
  readonly lock: mutex;
  /** "&kvm->mmu_lock" (an rwlock in the kernel; only its write side is modelled). */
  readonly mmu_lock: spinlock_t;
  /** kvm->devices, linked through kvm_device.vm_node. */
  readonly devices: kvm_device[];
  /** The creator's address space: ioctls from any other mm get -EIO. */
  readonly mm: mm_struct;
  vm_dead: boolean;
  /** x86: kvm_arch_start/end_assignment counter. */
  assigned_device_count: number;
  /** x86: kvm_arch_register/unregister_noncoherent_dma counter. */
  noncoherent_dma_count: number;
  /** Page-track notifiers registered by drivers (kvmgt). */
  readonly track_notifiers: unknown[];
}

export interface kvm_device_attr {
  readonly flags: number;
  readonly group: number;
  readonly attr: number;
  readonly addr: user_ptr;
}

export interface kvm_device extends Tracked {
  readonly ops: kvm_device_ops;
  /** Back-pointer; holds no reference by itself. */
  readonly kvm: kvm;
  private: unknown;
}

/**
 * struct kvm_device_ops. `create` is called with kvm->lock held; `destroy`
 * from kvm_destroy_devices() when the VM goes away, in whatever context drops
 * the last kvm reference; `release` (alternative to destroy) when the device
 * fd is closed, with kvm->lock held.
 */
export interface kvm_device_ops {
  readonly name: string;
  readonly create: (current: task_struct, dev: kvm_device, type: number) => Gen<number>;
  readonly init?: (current: task_struct, dev: kvm_device) => Gen;
  readonly destroy?: (current: task_struct, dev: kvm_device) => Gen;
  readonly release?: (current: task_struct, dev: kvm_device) => Gen;
  readonly set_attr?: (current: task_struct, dev: kvm_device, attr: kvm_device_attr) => Gen<number>;
  readonly get_attr?: (current: task_struct, dev: kvm_device, attr: kvm_device_attr) => Gen<number>;
  readonly has_attr?: (current: task_struct, dev: kvm_device, attr: kvm_device_attr) => Gen<number>;
  readonly ioctl?: (current: task_struct, dev: kvm_device, ioctl: number, arg: ioctl_arg) => Gen<number>;
}
