// vfio-ap (drivers/s390/crypto/vfio_ap_ops.c): open_device needs a VM, takes
// guests_lock -> kvm->lock -> mdevs_lock and its own kvm reference; close_device
// drops that reference still holding the three locks.
import { describe, expect, it } from 'vitest';
import type { kvm } from '../../../../src/kernel/include/linux/kvm_host.js';
import { ERRNO } from '../../../../src/kernel/include/uapi/asm-generic/errno.js';
import * as K from '../../../../src/kernel/include/uapi/linux/kvm.js';
import * as V from '../../../../src/kernel/include/uapi/linux/vfio.js';
import type { RtEvent } from '../../../../src/rt/events.js';
import { close, ioctl, leaks, problems, runSeq, str } from '../vfio/_seq.js';
import { acquiredIn, createKvmVfio, createVm, fileAttr, groupWithContainer, heldAt } from '../vfio/_vm.js';

const HOST = {
  groups: [
    { id: 7, devices: [{ name: 'ap0', driver: 'vfio-ap' as const }] },
    { id: 8, devices: [{ name: 'ap1', driver: 'vfio-ap' as const }] },
  ],
};
const UPDATE_LOCKS = ['&matrix_dev->guests_lock', '&kvm->lock', '&matrix_dev->mdevs_lock'];

describe('vfio-ap open_device / close_device', () => {
  it('needs a VM (-EINVAL); with one, takes the update locks in order and a kvm reference; one mdev per VM (-EPERM)', () => {
    const r: number[] = [];
    let k: kvm | null = null;
    const run = runSeq(
      function* (c) {
        const [g] = yield* groupWithContainer(c, 7);
        const [g8] = yield* groupWithContainer(c, 8);
        r.push(yield* ioctl(c, g, V.VFIO_GROUP_GET_DEVICE_FD, str('ap0')));
        const [vm, vmk] = yield* createVm(c);
        k = vmk;
        const kv = yield* createKvmVfio(c, vm);
        yield* ioctl(c, kv, K.KVM_SET_DEVICE_ATTR, fileAttr(g, K.KVM_DEV_VFIO_GROUP_ADD));
        yield* ioctl(c, kv, K.KVM_SET_DEVICE_ATTR, fileAttr(g8, K.KVM_DEV_VFIO_GROUP_ADD));
        const d = yield* ioctl(c, g, V.VFIO_GROUP_GET_DEVICE_FD, str('ap0'));
        r.push(d >= 0 ? 1 : d, vmk.users_count.value);
        r.push(yield* ioctl(c, g8, V.VFIO_GROUP_GET_DEVICE_FD, str('ap1')));
        yield* close(c, d);
        r.push(vmk.users_count.value);
        yield* close(c, kv);
        yield* close(c, vm);
      },
      { host: HOST, version: 'v6.2' },
    );
    expect(r).toEqual([-ERRNO.EINVAL, 1, 3, -ERRNO.EPERM, 2]);
    expect(k).not.toBeNull();
    expect(acquiredIn(run.events, 'vfio_ap_mdev_set_kvm').slice(0, 3)).toEqual(UPDATE_LOCKS);
    const get = (ev: RtEvent): boolean => ev.kind === 'counter' && ev.stack.includes('vfio_ap_mdev_set_kvm') && ev.op === 'inc';
    expect(heldAt(run.events, get)).toEqual(['&group->group_lock', '&dev_set->lock', ...UPDATE_LOCKS]);
    const put = (ev: RtEvent): boolean => ev.kind === 'counter' && ev.stack.includes('vfio_ap_mdev_unset_kvm');
    expect(heldAt(run.events, put)).toEqual(['&group->group_lock', '&dev_set->lock', ...UPDATE_LOCKS]);
    expect(problems(run)).toEqual([]);
    expect(leaks(run)).toEqual([]);
  });

  function* closedLast(c: Parameters<Parameters<typeof runSeq>[0]>[0]) {
    const [g] = yield* groupWithContainer(c, 7);
    const [vm] = yield* createVm(c);
    const kv = yield* createKvmVfio(c, vm);
    yield* ioctl(c, kv, K.KVM_SET_DEVICE_ATTR, fileAttr(g, K.KVM_DEV_VFIO_GROUP_ADD));
    const d = yield* ioctl(c, g, V.VFIO_GROUP_GET_DEVICE_FD, str('ap0'));
    yield* close(c, vm);
    yield* close(c, kv);
    yield* close(c, d);
  }

  it('v6.2: a last put in close_device frees the VM under its own kvm->lock, which is then unlocked', () => {
    const run = runSeq(closedLast, { host: HOST, version: 'v6.2' });
    expect(run.exec.status).toBe('done');
    const freeVm = (ev: RtEvent): boolean => ev.kind === 'free' && ev.meta.kind === 'struct kvm';
    expect(heldAt(run.events, freeVm)).toEqual(['&group->group_lock', '&dev_set->lock', ...UPDATE_LOCKS]);
    expect(problems(run)).toEqual(['UAF struct kvm #1.lock']);
  });

  it('v6.1: the same close deadlocks in kvm_vfio_destroy (dev_set->lock, group_lock held)', () => {
    const run = runSeq(closedLast, { host: HOST, version: 'v6.1' });
    expect(run.exec.status).toBe('deadlock');
    const t = run.exec.threads[0]!;
    expect(t.pending?.kind === 'lock' ? t.pending.lock.cls : '').toBe('&group->group_lock');
    expect(t.held.map((h) => h.lock.cls)).toEqual(['&dev_set->lock', '&group->group_lock', ...UPDATE_LOCKS]);
  });

  it('v6.3: the core still holds a reference, so vfio-ap never drops the last one', () => {
    const run = runSeq(closedLast, { host: HOST, version: 'v6.3' });
    expect(run.exec.status).toBe('done');
    const freeVm = run.events.find((ev) => ev.kind === 'free' && ev.meta.kind === 'struct kvm');
    expect(freeVm?.kind === 'free' ? freeVm.stack : []).toContain('vfio_device_put_kvm');
    expect(problems(run)).toEqual([]);
    expect(leaks(run)).toEqual([]);
  });
});
