// The VFIO core's version switches, one sequential run each: v6.1's device
// open/close (dev_set->lock first) and SET_CONTAINER errno; v6.3's
// kvm_ref_lock and the core's own kvm reference.
import { describe, expect, it } from 'vitest';
import type { vfio_device } from '../../../../src/kernel/drivers/vfio/vfio.js';
import { ERRNO } from '../../../../src/kernel/include/uapi/asm-generic/errno.js';
import * as K from '../../../../src/kernel/include/uapi/linux/kvm.js';
import * as V from '../../../../src/kernel/include/uapi/linux/vfio.js';
import { close, fdptr, group, ioctl, leaks, open, problems, runSeq, str } from './_seq.js';
import { acquiredIn, createKvmVfio, createVm, fileAttr, groupWithContainer, heldAt } from './_vm.js';

describe('VFIO_GROUP_SET_CONTAINER with a non-container fd', () => {
  it.each([
    ['v6.1', -ERRNO.EINVAL],
    ['v6.2-rc5', -ERRNO.EBADFD],
    ['v6.18', -ERRNO.EBADFD],
  ])('%s: %i', (version, errno) => {
    let r = 0;
    runSeq(
      function* (c) {
        const g = yield* open(c, '/dev/vfio/1');
        const notContainer = yield* open(c, '/dev/kvm');
        r = yield* ioctl(c, g, V.VFIO_GROUP_SET_CONTAINER, fdptr(notContainer));
      },
      { version },
    );
    expect(r).toBe(errno);
  });
});

/** Opens the kvmgt vGPU of group 2 with the VM attached through kvm-vfio, then closes everything. */
function openAndClose(version: string) {
  const seen: number[] = [];
  const run = runSeq(
    function* (c, m) {
      const [g] = yield* groupWithContainer(c, 2);
      const [vm, k] = yield* createVm(c);
      const kv = yield* createKvmVfio(c, vm);
      yield* ioctl(c, kv, K.KVM_SET_DEVICE_ATTR, fileAttr(g, K.KVM_DEV_VFIO_GROUP_ADD));
      seen.push(k.users_count.value);
      const d = yield* ioctl(c, g, V.VFIO_GROUP_GET_DEVICE_FD, str('vgpu0'));
      const dev = group(m, 2).device_list[0] as vfio_device;
      seen.push(d >= 0 ? 1 : d, k.users_count.value, dev.put_kvm === null ? 0 : 1, group(m, 2).container_users);
      yield* close(c, d);
      seen.push(k.users_count.value, dev.kvm === null ? 0 : 1);
      yield* ioctl(c, kv, K.KVM_SET_DEVICE_ATTR, fileAttr(g, K.KVM_DEV_VFIO_GROUP_DEL));
      yield* close(c, kv);
      yield* close(c, vm);
    },
    { version },
  );
  return { run, seen };
}

describe('device open/close lock order and kvm references', () => {
  it('v6.1: open pins the container under group_lock, then dev_set->lock -> group_lock around open_device', () => {
    const { run, seen } = openAndClose('v6.1');
    // users: VM fd + kvm-vfio fd; +1 kvmgt; no core reference.
    expect(seen).toEqual([2, 1, 3, 0, 2, 2, 0]);
    expect(acquiredIn(run.events, 'vfio_group_ioctl_get_device_fd').filter((l) => l !== '&group->device_lock')).toEqual([
      '&group->group_lock',
      '&dev_set->lock',
      '&group->group_lock',
      '&gvt->lock',
      '&kvm->mmu_lock',
    ]);
    const put = (ev: (typeof run.events)[number]): boolean => ev.kind === 'counter' && ev.stack.includes('intel_vgpu_close_device') && ev.op === 'dec_and_test';
    expect(heldAt(run.events, put)).toEqual(['&dev_set->lock', '&group->group_lock']);
    expect(acquiredIn(run.events, 'vfio_device_unassign_container')).toEqual(['&group->group_lock']);
    expect(problems(run)).toEqual([]);
    expect(leaks(run)).toEqual([]);
  });

  it('v6.2: group_lock -> dev_set->lock, the container pinned once, no core reference', () => {
    const { run, seen } = openAndClose('v6.2');
    expect(seen).toEqual([2, 1, 3, 0, 2, 2, 0]);
    expect(acquiredIn(run.events, 'vfio_device_group_open')).toEqual(['&group->group_lock', '&dev_set->lock', '&gvt->lock', '&kvm->mmu_lock']);
    expect(problems(run)).toEqual([]);
    expect(leaks(run)).toEqual([]);
  });

  it('v6.3: the core holds its own kvm reference from first open to last close; group->kvm under kvm_ref_lock', () => {
    const { run, seen } = openAndClose('v6.3');
    // +1 core (_vfio_device_get_kvm_safe), +1 kvmgt; after close both are gone and device->kvm is cleared.
    expect(seen).toEqual([2, 1, 4, 1, 2, 2, 0]);
    expect(acquiredIn(run.events, 'vfio_device_group_open')).toEqual([
      '&group->group_lock',
      '&dev_set->lock',
      '&group->kvm_ref_lock',
      '&gvt->lock',
      '&kvm->mmu_lock',
    ]);
    expect(acquiredIn(run.events, 'vfio_file_set_kvm')).toEqual(['&group->kvm_ref_lock', '&group->kvm_ref_lock']);
    const corePut = (ev: (typeof run.events)[number]): boolean => ev.kind === 'counter' && ev.stack.includes('vfio_device_put_kvm');
    expect(heldAt(run.events, corePut)).toEqual(['&group->group_lock', '&dev_set->lock']);
    expect(problems(run)).toEqual([]);
    expect(leaks(run)).toEqual([]);
  });

  it('v6.3: the core put after the last close may destroy the VM (under group_lock and dev_set->lock)', () => {
    const run = runSeq(
      function* (c) {
        const [g] = yield* groupWithContainer(c, 2);
        const [vm] = yield* createVm(c);
        const kv = yield* createKvmVfio(c, vm);
        yield* ioctl(c, kv, K.KVM_SET_DEVICE_ATTR, fileAttr(g, K.KVM_DEV_VFIO_GROUP_ADD));
        const d = yield* ioctl(c, g, V.VFIO_GROUP_GET_DEVICE_FD, str('vgpu0'));
        yield* close(c, vm);
        yield* close(c, kv);
        yield* close(c, d);
      },
      { version: 'v6.3' },
    );
    expect(run.exec.status).toBe('done');
    const free = run.events.find((ev) => ev.kind === 'free' && ev.meta.kind === 'struct kvm');
    expect(free?.kind === 'free' ? free.stack : []).toEqual(
      expect.arrayContaining(['vfio_device_group_close', 'vfio_device_put_kvm', 'kvm_put_kvm', 'kvm_destroy_vm']),
    );
    expect(problems(run)).toEqual([]);
    expect(leaks(run)).toEqual([]);
  });
});
