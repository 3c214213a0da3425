/**
 * drivers/gpu/drm/i915/gvt/kvmgt.c (v6.2) — Intel GVT-g vGPUs as VFIO mdev
 * devices. Since 421cfe6596f6 (v5.19) the vGPU takes its own kvm reference
 * in open_device and drops it in close_device; VFIO core calls both with
 * group_lock and dev_set->lock held, so the close-time kvm_put_kvm may be the
 * last one and destroy the VM under those locks (kernel-semantics §3.1).
 * Since the v6.2 fix "Get reference to KVM iff attachment to VM is
 * successful" the reference is taken just before the page-track notifier is
 * registered.
 *
 * The page-track notifier calls model arch/x86/kvm/mmu/page_track.c; the
 * GPU-side work of open/close (vgpu activation, DMA caches, debugfs, MSI
 * eventfd) takes no lock that nests with VFIO or KVM and is not modelled.
 */
import { atomic, traced } from '../../../../../../rt/api.js';
import type { Tracked } from '../../../../../../rt/object.js';
import { unordered } from '../../../../../../rt/unordered.js';
import type { Gen } from '../../../../../../rt/ops.js';
import { WARN_ON } from '../../../../../include/linux/bug.js';
import type { kvm } from '../../../../../include/linux/kvm_host.js';
import { mutex_init, mutex_lock, mutex_unlock, type mutex } from '../../../../../include/linux/mutex.js';
import type { task_struct } from '../../../../../include/linux/sched.js';
import { spin_lock, spin_unlock } from '../../../../../include/linux/spinlock.js';
import { ERRNO } from '../../../../../include/uapi/asm-generic/errno.js';
import type { Machine } from '../../../../../machine.js';
import { kvm_get_kvm, kvm_put_kvm } from '../../../../../virt/kvm/kvm_main.js';
import type { Fields, vfio_device, vfio_device_ops } from '../../../../vfio/vfio.js';

/** struct kvm_page_track_notifier_node, embedded in the vGPU (named after its device). */
interface kvm_page_track_notifier_node {
  readonly vgpu: string;
}

/** struct intel_gvt: the host GPU's GVT state; "&gvt->lock" protects its vGPU list. */
interface intel_gvt extends Tracked {
  readonly lock: mutex;
  readonly vgpus: intel_vgpu[];
}

/** struct intel_vgpu (embeds its vfio_device in the kernel). */
interface intel_vgpu extends Tracked {
  readonly gvt: intel_gvt;
  readonly vfio_device: vfio_device;
  /** INTEL_VGPU_STATUS_ATTACHED, changed and tested with atomic bit operations. */
  attached: boolean;
  readonly track_node: kvm_page_track_notifier_node;
}

/**
 * intel_gvt_init_device: the host's one GVT-capable GPU, set up when i915
 * probes it, before any vGPU exists. Its vGPU list is searched for "another
 * vGPU attached to this VM" only: order-insensitive (rt/unordered.ts).
 */
export function intel_gvt_init_device(machine: Machine): void {
  if (machine.globals.has('i915-gvt')) return;
  const exec = machine.exec;
  const gvt = exec.alloc<Fields<intel_gvt>>('struct intel_gvt', { lock: mutex_init(exec, '&gvt->lock'), vgpus: unordered<intel_vgpu>([], 'gvt->vgpus') }, false);
  machine.globals.set('i915-gvt', gvt);
}

/** The host's GPU, which intel_gvt_init_device (the parent's probe) created before any vGPU. */
function intel_gvt_of(machine: Machine): intel_gvt {
  const gvt = machine.globals.get('i915-gvt') as intel_gvt | undefined;
  // Created here it would be named after the first vGPU's scope: the probe order is a model bug.
  if (gvt === undefined) throw new Error('kvmgt: a vGPU probed before its GPU (intel_gvt_init_device)');
  return gvt;
}

function vfio_dev_to_vgpu(vfio_dev: vfio_device): intel_vgpu {
  return vfio_dev.priv as intel_vgpu;
}

/** page_track.c: links the node into the VM's notifier list under write_lock(&kvm->mmu_lock). */
const kvm_page_track_register_notifier = traced(
  'kvm_page_track_register_notifier',
  function* (current: task_struct, k: kvm, n: kvm_page_track_notifier_node): Gen {
    yield* spin_lock(current, k.mmu_lock);
    k.track_notifiers.unshift(n); // hlist_add_head_rcu
    yield* spin_unlock(current, k.mmu_lock);
  },
);

/** page_track.c: unlinks the node under write_lock(&kvm->mmu_lock); synchronize_srcu has no readers to wait for. */
const kvm_page_track_unregister_notifier = traced(
  'kvm_page_track_unregister_notifier',
  function* (current: task_struct, k: kvm, n: kvm_page_track_notifier_node): Gen {
    yield* spin_lock(current, k.mmu_lock);
    const i = k.track_notifiers.indexOf(n);
    if (i >= 0) k.track_notifiers.splice(i, 1);
    yield* spin_unlock(current, k.mmu_lock);
  },
);

/** Whether another attached vGPU already serves this VM (one vGPU per VM). Takes &gvt->lock. */
const __kvmgt_vgpu_exist = traced('__kvmgt_vgpu_exist', function* (current: task_struct, vgpu: intel_vgpu): Gen<boolean> {
  const gvt = vgpu.gvt;
  yield* mutex_lock(current, gvt.lock);
  const ret = yield* current.thread.exec.exists(gvt.vgpus, function* (itr) {
    // Another vGPU's kvm is protected by its own dev_set->lock, not held here.
    return yield* atomic(itr, 'read', 'test_bit(INTEL_VGPU_STATUS_ATTACHED)', () => itr.attached && itr.vfio_device.kvm === vgpu.vfio_device.kvm);
  });
  yield* mutex_unlock(current, gvt.lock);
  return ret;
});

/**
 * open_device (GL and DS held): -EEXIST if attached, -ESRCH without a VM or
 * from another mm, -EEXIST if the VM already has a vGPU; then take a kvm
 * reference (owned by the vGPU until close) and register the notifier.
 */
const intel_vgpu_open_device = traced(
  'intel_vgpu_open_device',
  function* (current: task_struct, vfio_dev: vfio_device): Gen<number> {
    const vgpu = vfio_dev_to_vgpu(vfio_dev);
    if (yield* atomic(vgpu, 'read', 'test_bit(INTEL_VGPU_STATUS_ATTACHED)', () => vgpu.attached)) return -ERRNO.EEXIST;
    const k = vfio_dev.kvm;
    if (k === null || k.mm !== current.mm) return -ERRNO.ESRCH; // "KVM is required to use Intel vGPU"
    if (yield* __kvmgt_vgpu_exist(current, vgpu)) return -ERRNO.EEXIST;
    yield* kvm_get_kvm(current, k);
    yield* kvm_page_track_register_notifier(current, k, vgpu.track_node);
    yield* atomic(vgpu, 'write', 'set_bit(INTEL_VGPU_STATUS_ATTACHED)', () => {
      vgpu.attached = true;
    });
    return 0;
  },
);

/**
 * close_device (GL and DS held): unregister the notifier and drop the vGPU's
 * kvm reference — if it is the last one, kvm_destroy_vm runs right here,
 * under group_lock and dev_set->lock.
 */
const intel_vgpu_close_device = traced('intel_vgpu_close_device', function* (current: task_struct, vfio_dev: vfio_device): Gen {
  const vgpu = vfio_dev_to_vgpu(vfio_dev);
  const attached = yield* atomic(vgpu, 'read', 'test_bit(INTEL_VGPU_STATUS_ATTACHED)', () => vgpu.attached);
  WARN_ON(current, !attached, 'intel_vgpu_close_device of a vGPU that is not attached');
  yield* atomic(vgpu, 'write', 'clear_bit(INTEL_VGPU_STATUS_ATTACHED)', () => {
    vgpu.attached = false;
  });
  const k = vfio_dev.kvm;
  if (k === null) return;
  yield* kvm_page_track_unregister_notifier(current, k, vgpu.track_node);
  yield* kvm_put_kvm(current, k);
});

/** intel_vgpu_init_dev: creates the vGPU behind a freshly allocated vfio_device (boot time). */
function intel_vgpu_init_dev(machine: Machine, vfio_dev: vfio_device): number {
  const gvt = intel_gvt_of(machine);
  const vgpu = machine.exec.alloc<Fields<intel_vgpu>>(
    'struct intel_vgpu',
    { gvt, vfio_device: vfio_dev, attached: false, track_node: { vgpu: vfio_dev.name } },
    false,
  );
  vfio_dev.priv = vgpu;
  gvt.vgpus.push(vgpu);
  return 0;
}

/** intel_vgpu_dev_ops. */
export const intel_vgpu_dev_ops: vfio_device_ops = {
  name: 'intel_vgpu_dev_ops',
  init: intel_vgpu_init_dev,
  open_device: intel_vgpu_open_device,
  close_device: intel_vgpu_close_device,
};
