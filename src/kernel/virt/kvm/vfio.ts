/**
 * virt/kvm/vfio.c (v6.2; v6.1 to v6.18 by switches) — the kvm-vfio pseudo
 * device: the VM's list of VFIO group files, and the bridge that tells VFIO
 * which VM a group belongs to (vfio_file_set_kvm). 51cdc8bc120e moved its
 * teardown from .destroy (VM destruction) to .release (its own fd closing,
 * under kvm->lock): `kvmVfioFreesOn`. v6.6 renamed the group forms to file
 * forms (`kvmVfioNames`; the model keeps the field name group_list) and moved
 * VFIO notification and coherency updates under kv->lock
 * (`kvmVfioAddSetKvmLocked`, `kvmVfioCoherencyUnderCallerLock`); v6.17 stopped
 * counting assigned devices (`kvmVfioArchAssignment`). Device cdev files
 * (v6.6+) are not modelled.
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
import { fput, get_file } from '../../fs/file_table.js';
import type { file } from '../../include/linux/fs.js';
import type { kvm, kvm_device, kvm_device_attr, kvm_device_ops } from '../../include/linux/kvm_host.js';
import { lockdep_assert_held, mutex_init, mutex_lock, mutex_unlock, type mutex } from '../../include/linux/mutex.js';
import type { task_struct } from '../../include/linux/sched.js';
import { kfree, kzalloc } from '../../include/linux/slab.js';
import { get_user_i32, type user_ptr } from '../../include/linux/uaccess.js';
import { ERRNO } from '../../include/uapi/asm-generic/errno.js';
import * as uapi from '../../include/uapi/linux/kvm.js';
import { symbol_get } from '../../kernel/module.js';
import type { Machine } from '../../machine.js';
import { kvm_register_device_ops } from './kvm_main.js';

/** One attached group (struct kvm_vfio_group; kvm_vfio_file since v6.6): the entry holds a reference on the file. */
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
 * register/unregister non-coherent DMA when the answer changes. Takes
 * kv->lock itself; since 73e2f19da508 (v6.6) its callers hold it instead
 * (ADD, DEL) or need none (release: no other user is left).
 */
const kvm_vfio_update_coherency = traced('kvm_vfio_update_coherency', function* (current: task_struct, dev: kvm_device): Gen {
  const kv = priv(dev);
  const self_locking = !current.machine.switches.kvmVfioCoherencyUnderCallerLock;
  let noncoherent = false;
  if (self_locking) yield* mutex_lock(current, kv.lock);
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
  if (self_locking) yield* mutex_unlock(current, kv.lock);
});

/**
 * FILE_ADD (kvm_vfio_group_add; kvm_vfio_file_add since 2f99073a722b): a
 * VFIO group file not yet listed gets an entry holding a file reference, and
 * VFIO learns the VM. Up to v6.5 VFIO is told after kv->lock is dropped, so a
 * racing DEL may unlink the entry first and clear group->kvm before this sets
 * it; 9e0f4f2918c2 (v6.6) tells VFIO under kv->lock, and 73e2f19da508 (v6.6)
 * also updates coherency there and gives the entry its own reference.
 */
function* kvm_vfio_file_add_body(current: task_struct, dev: kvm_device, fd: number): Gen<number> {
  const kv = priv(dev);
  const sw = current.machine.switches;
  const filp = yield* fget(current, fd);
  if (filp === null) return -ERRNO.EBADF;

  let ret = 0;
  if (!kvm_vfio_file_is_group(current, filp)) {
    ret = -ERRNO.EINVAL;
  } else {
    yield* mutex_lock(current, kv.lock);
    if (kv.group_list.some((kvg) => kvg.file === filp)) {
      ret = -ERRNO.EEXIST;
    } else {
      // Before 73e2f19da508 the entry keeps fget's reference; since, its own.
      if (sw.kvmVfioCoherencyUnderCallerLock) yield* get_file(filp);
      const kind = sw.kvmVfioNames === 'file' ? 'struct kvm_vfio_file' : 'struct kvm_vfio_group';
      const kvg = kzalloc(current, kind, { file: filp });
      kv.group_list.push(kvg);
      if (sw.kvmVfioArchAssignment) yield* kvm_arch_start_assignment(dev.kvm);
      if (sw.kvmVfioAddSetKvmLocked) yield* kvm_vfio_file_set_kvm(current, kvg.file, dev.kvm);
      if (!sw.kvmVfioCoherencyUnderCallerLock) {
        yield* mutex_unlock(current, kv.lock);
        if (!sw.kvmVfioAddSetKvmLocked) yield* kvm_vfio_file_set_kvm(current, kvg.file, dev.kvm);
        yield* kvm_vfio_update_coherency(current, dev);
        return 0;
      }
      yield* kvm_vfio_update_coherency(current, dev);
    }
    yield* mutex_unlock(current, kv.lock);
  }
  yield* fput(current, filp);
  return ret;
}
const kvm_vfio_group_add = traced('kvm_vfio_group_add', kvm_vfio_file_add_body);
const kvm_vfio_file_add = traced('kvm_vfio_file_add', kvm_vfio_file_add_body);

/**
 * FILE_DEL (kvm_vfio_group_del; kvm_vfio_file_del since 2f99073a722b): no
 * VFIO type check — a file never added is simply not found (-ENOENT). VFIO is
 * told under kv->lock; coherency is updated after dropping it, or under it
 * since 73e2f19da508.
 */
function* kvm_vfio_file_del_body(current: task_struct, dev: kvm_device, fd: number): Gen<number> {
  const kv = priv(dev);
  const f = yield* fdget(current, fd);
  if (f.file === null) return -ERRNO.EBADF;

  let ret = -ERRNO.ENOENT;
  yield* mutex_lock(current, kv.lock);
  const i = kv.group_list.findIndex((kvg) => kvg.file === f.file);
  const kvg = kv.group_list[i];
  if (kvg !== undefined) {
    kv.group_list.splice(i, 1);
    if (current.machine.switches.kvmVfioArchAssignment) yield* kvm_arch_end_assignment(dev.kvm);
    yield* kvm_vfio_file_set_kvm(current, kvg.file, null);
    yield* fput(current, kvg.file);
    yield* kfree(current, kvg);
    ret = 0;
  }
  if (current.machine.switches.kvmVfioCoherencyUnderCallerLock) {
    yield* kvm_vfio_update_coherency(current, dev);
    yield* mutex_unlock(current, kv.lock);
    yield* fdput(current, f);
  } else {
    yield* mutex_unlock(current, kv.lock);
    yield* fdput(current, f);
    yield* kvm_vfio_update_coherency(current, dev);
  }
  return ret;
}
const kvm_vfio_group_del = traced('kvm_vfio_group_del', kvm_vfio_file_del_body);
const kvm_vfio_file_del = traced('kvm_vfio_file_del', kvm_vfio_file_del_body);

/** kvm_vfio_set_group (kvm_vfio_set_file since 2f99073a722b): -ENXIO for an unknown attribute before user memory is read. */
function* kvm_vfio_set_group(current: task_struct, dev: kvm_device, attr: number, arg: user_ptr): Gen<number> {
  const file_names = current.machine.switches.kvmVfioNames === 'file';
  switch (attr) {
    case uapi.KVM_DEV_VFIO_GROUP_ADD: {
      const fd = get_user_i32(arg);
      if (fd === null) return -ERRNO.EFAULT;
      return yield* (file_names ? kvm_vfio_file_add : kvm_vfio_group_add)(current, dev, fd);
    }
    case uapi.KVM_DEV_VFIO_GROUP_DEL: {
      const fd = get_user_i32(arg);
      if (fd === null) return -ERRNO.EFAULT;
      return yield* (file_names ? kvm_vfio_file_del : kvm_vfio_group_del)(current, dev, fd);
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
    if (current.machine.switches.kvmVfioArchAssignment) yield* kvm_arch_end_assignment(dev.kvm);
  }
  yield* kvm_vfio_update_coherency(current, dev);
  yield* kfree(current, kv);
  yield* kfree(current, dev);
}

/** Before 51cdc8bc120e: runs from kvm_destroy_devices, in whatever context dropped the last kvm reference. */
const kvm_vfio_destroy = traced('kvm_vfio_destroy', kvm_vfio_teardown);
/** Since 51cdc8bc120e: runs from kvm_device_release with kvm->lock held. */
const kvm_vfio_release = traced('kvm_vfio_release', kvm_vfio_teardown);

/**
 * kvm_vfio_create: only one kvm-vfio device per VM (-EBUSY); called with
 * kvm->lock held, asserted with lockdep since ea54dd374232 (v6.10).
 */
const kvm_vfio_create = traced('kvm_vfio_create', function* (current: task_struct, dev: kvm_device, _type: number): Gen<number> {
  if (current.machine.switches.kvmDevicesRculist) lockdep_assert_held(current, dev.kvm.lock);
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
