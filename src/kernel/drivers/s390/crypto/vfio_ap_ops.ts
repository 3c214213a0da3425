/**
 * drivers/s390/crypto/vfio_ap_ops.c (v6.2; open/close unchanged through
 * v6.6) — the vfio-ap mediated matrix device, as far as its VFIO
 * open_device/close_device go. open_device needs a VM (-EINVAL without one)
 * and, in vfio_ap_mdev_set_kvm, takes the "update locks" in their documented
 * order — &matrix_dev->guests_lock, then &kvm->lock, then
 * &matrix_dev->mdevs_lock — to refuse a VM another mdev already serves
 * (-EPERM), take its own kvm reference and plug the AP config into the
 * guest. close_device (vfio_ap_mdev_unset_kvm) takes the same locks, and
 * drops that reference *while still holding them*: kvm_put_kvm, then
 * matrix_mdev->kvm = NULL, then release_update_locks_for_kvm.
 *
 * VFIO core calls both with group_lock and dev_set->lock held (v6.2), so
 * device open orders GL -> DS -> guests_lock -> kvm->lock: against kvm-vfio's
 * release (kvm->lock -> GL in vfio_file_set_kvm, since 51cdc8bc120e) the ABBA
 * of the 6.2.0-rc6 lockdep report (kernel-semantics §3.3), fixed by
 * 2b48f52f2bff. And if the close-time kvm_put_kvm is the VM's last reference
 * (v6.2 and older: the core holds none), kvm_destroy_vm frees the VM under
 * its own kvm->lock, which is then unlocked.
 *
 * Not modelled: kvm->arch.crypto.pqap_hook_rwsem (write-locked alone around
 * setting pqap_hook, before the update locks; nothing nests in it on these
 * paths), kvm->arch.crypto.crycbd (always set: the host has the AP facility),
 * the APCB shadow and masks (kvm_arch_crypto_set/clear_masks take no lock)
 * and the queue resets.
 */
import { traced } from '../../../../rt/api.js';
import type { Tracked } from '../../../../rt/object.js';
import type { Gen } from '../../../../rt/ops.js';
import type { kvm } from '../../../include/linux/kvm_host.js';
import { mutex_init, mutex_lock, mutex_unlock, type mutex } from '../../../include/linux/mutex.js';
import type { task_struct } from '../../../include/linux/sched.js';
import { ERRNO } from '../../../include/uapi/asm-generic/errno.js';
import type { Machine } from '../../../machine.js';
import { kvm_get_kvm, kvm_put_kvm } from '../../../virt/kvm/kvm_main.js';
import type { Fields, vfio_device, vfio_device_ops } from '../../vfio/vfio.js';

/** struct ap_matrix_dev (vfio_ap_private.h), the driver's one global: matrix_dev. */
interface ap_matrix_dev extends Tracked {
  /** "&matrix_dev->guests_lock": required to use a KVM pointer to update a guest's APCB. */
  readonly guests_lock: mutex;
  /** "&matrix_dev->mdevs_lock": protects the mdevs' data and mdev_list. */
  readonly mdevs_lock: mutex;
  readonly mdev_list: ap_matrix_mdev[];
}

/** struct ap_matrix_mdev (embeds its vfio_device in the kernel). */
interface ap_matrix_mdev extends Tracked {
  readonly vdev: vfio_device;
  /** The guest using the mdev; set and cleared with all three update locks held. */
  kvm: kvm | null;
}

/** matrix_dev, created at module init with the first mdev. */
function matrix_dev_of(machine: Machine): ap_matrix_dev {
  let m = machine.globals.get('vfio-ap') as ap_matrix_dev | undefined;
  if (m === undefined) {
    const exec = machine.exec;
    m = exec.alloc<Fields<ap_matrix_dev>>(
      'struct ap_matrix_dev',
      {
        guests_lock: mutex_init(exec, '&matrix_dev->guests_lock'),
        mdevs_lock: mutex_init(exec, '&matrix_dev->mdevs_lock'),
        mdev_list: [],
      },
      false,
    );
    machine.globals.set('vfio-ap', m);
  }
  return m;
}

function to_matrix_mdev(vdev: vfio_device): ap_matrix_mdev {
  return vdev.priv as ap_matrix_mdev;
}

/**
 * get_update_locks_for_kvm (static inline: no frame of its own): guests_lock,
 * kvm->lock (if any), mdevs_lock — "the proper locking order".
 */
function* get_update_locks_for_kvm(current: task_struct, k: kvm | null): Gen {
  const matrix_dev = matrix_dev_of(current.machine);
  yield* mutex_lock(current, matrix_dev.guests_lock);
  if (k !== null) yield* mutex_lock(current, k.lock);
  yield* mutex_lock(current, matrix_dev.mdevs_lock);
}

/** release_update_locks_for_kvm (static inline): the same locks, innermost first. */
function* release_update_locks_for_kvm(current: task_struct, k: kvm | null): Gen {
  const matrix_dev = matrix_dev_of(current.machine);
  yield* mutex_unlock(current, matrix_dev.mdevs_lock);
  if (k !== null) yield* mutex_unlock(current, k.lock);
  yield* mutex_unlock(current, matrix_dev.guests_lock);
}

/**
 * vfio_ap_mdev_set_kvm: under the update locks, -EPERM if another mdev serves
 * this VM; else take a kvm reference, record the guest and plug the APCB.
 */
const vfio_ap_mdev_set_kvm = traced(
  'vfio_ap_mdev_set_kvm',
  function* (current: task_struct, matrix_mdev: ap_matrix_mdev, k: kvm): Gen<number> {
    const matrix_dev = matrix_dev_of(current.machine);
    // kvm->arch.crypto.pqap_hook set under pqap_hook_rwsem: not modelled.
    yield* get_update_locks_for_kvm(current, k);
    if (matrix_dev.mdev_list.some((m) => m !== matrix_mdev && m.kvm === k)) {
      yield* release_update_locks_for_kvm(current, k);
      return -ERRNO.EPERM;
    }
    yield* kvm_get_kvm(current, k);
    matrix_mdev.kvm = k;
    // vfio_ap_mdev_update_guest_apcb: kvm_arch_crypto_set_masks, no lock.
    yield* release_update_locks_for_kvm(current, k);
    return 0;
  },
);

/**
 * vfio_ap_mdev_unset_kvm: under the update locks, unplug the APCB, reset the
 * queues, drop the mdev's kvm reference — possibly the VM's last, destroying
 * it right here — forget the guest, and only then release the locks.
 */
const vfio_ap_mdev_unset_kvm = traced('vfio_ap_mdev_unset_kvm', function* (current: task_struct, matrix_mdev: ap_matrix_mdev): Gen {
  const k = matrix_mdev.kvm;
  if (k === null) return;
  // kvm->arch.crypto.pqap_hook cleared under pqap_hook_rwsem: not modelled.
  yield* get_update_locks_for_kvm(current, k);
  // kvm_arch_crypto_clear_masks and vfio_ap_mdev_reset_queues: no modelled lock.
  yield* kvm_put_kvm(current, k);
  matrix_mdev.kvm = null;
  yield* release_update_locks_for_kvm(current, k);
});

/** vfio_ap_mdev_open_device (GL and DS held in v6.2): -EINVAL without a VM. */
const vfio_ap_mdev_open_device = traced('vfio_ap_mdev_open_device', function* (current: task_struct, vdev: vfio_device): Gen<number> {
  const k = vdev.kvm;
  if (k === null) return -ERRNO.EINVAL;
  return yield* vfio_ap_mdev_set_kvm(current, to_matrix_mdev(vdev), k);
});

/** vfio_ap_mdev_close_device (GL and DS held in v6.2). */
const vfio_ap_mdev_close_device = traced('vfio_ap_mdev_close_device', function* (current: task_struct, vdev: vfio_device): Gen {
  yield* vfio_ap_mdev_unset_kvm(current, to_matrix_mdev(vdev));
});

/** vfio_ap_mdev_probe's part that matters here: the mdev joins matrix_dev->mdev_list (boot time). */
function vfio_ap_mdev_init_dev(machine: Machine, vdev: vfio_device): number {
  const matrix_dev = matrix_dev_of(machine);
  const matrix_mdev = machine.exec.alloc<Fields<ap_matrix_mdev>>('struct ap_matrix_mdev', { vdev, kvm: null }, false);
  vdev.priv = matrix_mdev;
  matrix_dev.mdev_list.push(matrix_mdev);
  return 0;
}

/** vfio_ap_matrix_dev_ops. */
export const vfio_ap_matrix_dev_ops: vfio_device_ops = {
  name: 'vfio_ap_matrix_dev_ops',
  init: vfio_ap_mdev_init_dev,
  open_device: vfio_ap_mdev_open_device,
  close_device: vfio_ap_mdev_close_device,
};
