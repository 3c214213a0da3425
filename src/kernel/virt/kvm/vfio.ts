/**
 * virt/kvm/vfio.c (v6.2-rc5 and v6.2) — the kvm-vfio pseudo device: the VM's
 * list of VFIO group files, and the bridge that tells VFIO which VM a group
 * belongs to (vfio_file_set_kvm). 51cdc8bc120e moved its teardown from
 * .destroy (VM destruction) to .release (its own fd closing, under kvm->lock):
 * the `kvmVfioFreesOn` switch.
 */
import { traced } from '../../../rt/api.js';
import type { Tracked } from '../../../rt/object.js';
import type { Gen } from '../../../rt/ops.js';
import {
  kvm_arch_end_assignment,
  kvm_arch_register_noncoherent_dma,
  kvm_arch_start_assignment,
  kvm_arch_unregister_noncoherent_dma,
} from '../../arch/x86/kvm/x86.js';
import { fdget, fdput, fget } from '../../fs/file.js';
import { fput } from '../../fs/file_table.js';
import type { file } from '../../include/linux/fs.js';
import type { kvm, kvm_device, kvm_device_attr, kvm_device_ops } from '../../include/linux/kvm_host.js';
import { mutex_init, mutex_lock, mutex_unlock, type mutex } from '../../include/linux/mutex.js';
import type { task_struct } from '../../include/linux/sched.js';
import { kfree, kzalloc } from '../../include/linux/slab.js';
import { get_user_i32, type user_ptr } from '../../include/linux/uaccess.js';
import { ERRNO } from '../../include/uapi/asm-generic/errno.js';
import * as uapi from '../../include/uapi/linux/kvm.js';
import { symbol_get } from '../../kernel/module.js';
import type { Machine } from '../../machine.js';
import { kvm_register_device_ops } from './kvm_main.js';

/** One attached group: the entry holds a reference on the group's file. */
interface kvm_vfio_group extends Tracked {
  readonly file: file;
}

/** dev->private: "&kv->lock" protects group_list and noncoherent. */
interface kvm_vfio extends Tracked {
  readonly group_list: kvm_vfio_group[];
  readonly lock: mutex;
  noncoherent: boolean;
}

// VFIO's side, reached through symbol_get: absent when the kernel has no VFIO.
type vfio_file_is_group_t = (f: file) => boolean;
type vfio_file_set_kvm_t = (current: task_struct, f: file, k: kvm | null) => Gen;
type vfio_file_enforced_coherent_t = (current: task_struct, f: file) => Gen<boolean>;

const kvm_vfio_file_set_kvm = traced(
  'kvm_vfio_file_set_kvm',
  function* (current: task_struct, f: file, k: kvm | null): Gen {
    const fn = symbol_get<vfio_file_set_kvm_t>(current.machine, 'vfio_file_set_kvm');
    if (fn === null) return;
    yield* fn(current, f, k);
  },
);

function* kvm_vfio_file_enforced_coherent(current: task_struct, f: file): Gen<boolean> {
  const fn = symbol_get<vfio_file_enforced_coherent_t>(current.machine, 'vfio_file_enforced_coherent');
  if (fn === null) return false;
  return yield* fn(current, f);
}

function kvm_vfio_file_is_group(current: task_struct, f: file): boolean {
  const fn = symbol_get<vfio_file_is_group_t>(current.machine, 'vfio_file_is_group');
  return fn !== null && fn(f);
}

function priv(dev: kvm_device): kvm_vfio {
  return dev.private as kvm_vfio;
}

/**
 * Groups that do not enforce DMA cache coherency make KVM emulate WBINVD:
 * register/unregister non-coherent DMA when the answer changes.
 */
const kvm_vfio_update_coherency = traced('kvm_vfio_update_coherency', function* (current: task_struct, dev: kvm_device): Gen {
  const kv = priv(dev);
  let noncoherent = false;
  yield* mutex_lock(current, kv.lock);
  for (const kvg of kv.group_list) {
    if (!(yield* kvm_vfio_file_enforced_coherent(current, kvg.file))) {
      noncoherent = true;
      break;
    }
  }
  if (noncoherent !== kv.noncoherent) {
    kv.noncoherent = noncoherent;
    if (kv.noncoherent) yield* kvm_arch_register_noncoherent_dma(dev.kvm);
    else yield* kvm_arch_unregister_noncoherent_dma(dev.kvm);
  }
  yield* mutex_unlock(current, kv.lock);
});

const kvm_vfio_group_add = traced('kvm_vfio_group_add', function* (current: task_struct, dev: kvm_device, fd: number): Gen<number> {
  const kv = priv(dev);
  const filp = yield* fget(current, fd);
  if (filp === null) return -ERRNO.EBADF;

  let ret: number;
  if (!kvm_vfio_file_is_group(current, filp)) {
    ret = -ERRNO.EINVAL;
  } else {
    yield* mutex_lock(current, kv.lock);
    if (kv.group_list.some((kvg) => kvg.file === filp)) {
      ret = -ERRNO.EEXIST;
      yield* mutex_unlock(current, kv.lock);
    } else {
      // The entry keeps fget's reference; dropped by DEL or by teardown.
      const kvg = kzalloc(current, 'struct kvm_vfio_group', { file: filp });
      kv.group_list.push(kvg);
      yield* kvm_arch_start_assignment(dev.kvm);
      yield* mutex_unlock(current, kv.lock);

      // v6.2 tells VFIO outside kv->lock (moved under it by 9e0f4f2918c2, v6.6).
      yield* kvm_vfio_file_set_kvm(current, kvg.file, dev.kvm);
      yield* kvm_vfio_update_coherency(current, dev);
      return 0;
    }
  }
  yield* fput(current, filp);
  return ret;
});

const kvm_vfio_group_del = traced('kvm_vfio_group_del', function* (current: task_struct, dev: kvm_device, fd: number): Gen<number> {
  const kv = priv(dev);
  const f = yield* fdget(current, fd);
  if (f.file === null) return -ERRNO.EBADF;

  // No VFIO type check: a file that was never added is simply not found.
  let ret = -ERRNO.ENOENT;
  yield* mutex_lock(current, kv.lock);
  const i = kv.group_list.findIndex((kvg) => kvg.file === f.file);
  const kvg = kv.group_list[i];
  if (kvg !== undefined) {
    kv.group_list.splice(i, 1);
    yield* kvm_arch_end_assignment(dev.kvm);
    yield* kvm_vfio_file_set_kvm(current, kvg.file, null);
    yield* fput(current, kvg.file);
    yield* kfree(current, kvg);
    ret = 0;
  }
  yield* mutex_unlock(current, kv.lock);
  yield* fdput(current, f);
  yield* kvm_vfio_update_coherency(current, dev);
  return ret;
});

/** kvm_vfio_set_group: -ENXIO for an unknown attribute before user memory is read. */
function* kvm_vfio_set_group(current: task_struct, dev: kvm_device, attr: number, arg: user_ptr): Gen<number> {
  switch (attr) {
    case uapi.KVM_DEV_VFIO_GROUP_ADD: {
      const fd = get_user_i32(arg);
      if (fd === null) return -ERRNO.EFAULT;
      return yield* kvm_vfio_group_add(current, dev, fd);
    }
    case uapi.KVM_DEV_VFIO_GROUP_DEL: {
      const fd = get_user_i32(arg);
      if (fd === null) return -ERRNO.EFAULT;
      return yield* kvm_vfio_group_del(current, dev, fd);
    }
    default:
      // KVM_DEV_VFIO_GROUP_SET_SPAPR_TCE exists only with CONFIG_SPAPR_TCE_IOMMU (ppc64).
      return -ERRNO.ENXIO;
  }
}

const kvm_vfio_set_attr = traced('kvm_vfio_set_attr', function* (current: task_struct, dev: kvm_device, attr: kvm_device_attr): Gen<number> {
  if (attr.group === uapi.KVM_DEV_VFIO_GROUP) return yield* kvm_vfio_set_group(current, dev, attr.attr, attr.addr);
  return -ERRNO.ENXIO;
});

function* kvm_vfio_has_attr(_current: task_struct, _dev: kvm_device, attr: kvm_device_attr): Gen<number> {
  if (attr.group === uapi.KVM_DEV_VFIO_GROUP) {
    if (attr.attr === uapi.KVM_DEV_VFIO_GROUP_ADD || attr.attr === uapi.KVM_DEV_VFIO_GROUP_DEL) return 0;
  }
  return -ERRNO.ENXIO;
}

/**
 * Tears the device down: for every group, tell VFIO the VM is gone, drop the
 * file reference and free the entry; then free kv and dev ("alloc by
 * kvm_ioctl_create_device, free by .destroy/.release").
 */
function* kvm_vfio_teardown(current: task_struct, dev: kvm_device): Gen {
  const kv = priv(dev);
  while (kv.group_list.length > 0) {
    const kvg = kv.group_list[0] as kvm_vfio_group;
    yield* kvm_vfio_file_set_kvm(current, kvg.file, null);
    yield* fput(current, kvg.file);
    kv.group_list.shift();
    yield* kfree(current, kvg);
    yield* kvm_arch_end_assignment(dev.kvm);
  }
  yield* kvm_vfio_update_coherency(current, dev);
  yield* kfree(current, kv);
  yield* kfree(current, dev);
}

/** Before 51cdc8bc120e: runs from kvm_destroy_devices, in whatever context dropped the last kvm reference. */
const kvm_vfio_destroy = traced('kvm_vfio_destroy', kvm_vfio_teardown);
/** Since 51cdc8bc120e: runs from kvm_device_release with kvm->lock held. */
const kvm_vfio_release = traced('kvm_vfio_release', kvm_vfio_teardown);

/** kvm_vfio_create: only one kvm-vfio device per VM (-EBUSY); called with kvm->lock held. */
const kvm_vfio_create = traced('kvm_vfio_create', function* (current: task_struct, dev: kvm_device, _type: number): Gen<number> {
  for (const tmp of dev.kvm.devices) if (tmp.ops === dev.ops) return -ERRNO.EBUSY;
  const exec = current.thread.exec;
  const kv = kzalloc(current, 'struct kvm_vfio', {
    group_list: [] as kvm_vfio_group[],
    lock: mutex_init(exec, '&kv->lock'),
    noncoherent: false,
  });
  dev.private = kv;
  return 0;
});

/** Registers the kvm-vfio device type, with destroy or release per the kernel version. */
export function kvm_vfio_ops_init(machine: Machine): void {
  const common = { name: 'kvm-vfio', create: kvm_vfio_create, set_attr: kvm_vfio_set_attr, has_attr: kvm_vfio_has_attr };
  const ops: kvm_device_ops =
    machine.switches.kvmVfioFreesOn === 'destroy'
      ? { ...common, destroy: kvm_vfio_destroy }
      : { ...common, release: kvm_vfio_release };
  kvm_register_device_ops(machine, ops, uapi.KVM_DEV_TYPE_VFIO);
}
