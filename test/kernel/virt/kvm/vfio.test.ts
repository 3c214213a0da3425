// kvm-vfio (virt/kvm/vfio.c) across versions: where FILE_ADD tells VFIO and
// updates coherency relative to kv->lock (9e0f4f2918c2, 73e2f19da508), the
// v6.6 names (2f99073a722b), and v6.18's rculist device list (ea54dd374232).
import { describe, expect, it } from 'vitest';
import { ERRNO } from '../../../../src/kernel/include/uapi/asm-generic/errno.js';
import * as K from '../../../../src/kernel/include/uapi/linux/kvm.js';
import type { RtEvent } from '../../../../src/rt/events.js';
import { close, ioctl, leaks, problems, runSeq } from '../../drivers/vfio/_seq.js';
import { createKvmVfio, createVm, fileAttr, groupWithContainer, heldAt } from '../../drivers/vfio/_vm.js';

function addThenDel(version: string) {
  const r: number[] = [];
  const run = runSeq(
    function* (c) {
      const [g] = yield* groupWithContainer(c, 2);
      const [vm] = yield* createVm(c);
      const kv = yield* createKvmVfio(c, vm);
      r.push(yield* ioctl(c, kv, K.KVM_SET_DEVICE_ATTR, fileAttr(g, K.KVM_DEV_VFIO_GROUP_ADD)));
      r.push(yield* ioctl(c, kv, K.KVM_SET_DEVICE_ATTR, fileAttr(g, K.KVM_DEV_VFIO_GROUP_ADD)));
      r.push(yield* ioctl(c, kv, K.KVM_SET_DEVICE_ATTR, fileAttr(g, K.KVM_DEV_VFIO_GROUP_DEL)));
      yield* close(c, kv);
      yield* close(c, vm);
    },
    { version },
  );
  return { r, run };
}

/** Held locks when vfio_file_set_kvm takes its lock, and when the coherency query takes device_lock, during the ADD. */
function addLocks(events: readonly RtEvent[], fn: string) {
  const inAdd = (ev: RtEvent, inner: string): boolean => ev.kind === 'acquire' && ev.stack.includes(fn) && ev.stack.includes(inner);
  return {
    setKvm: heldAt(events, (ev) => inAdd(ev, 'vfio_file_set_kvm')),
    coherency: heldAt(events, (ev) => inAdd(ev, 'vfio_file_enforced_coherent')),
  };
}

describe('kvm-vfio FILE_ADD / FILE_DEL', () => {
  it('v6.2: kvm_vfio_group_add tells VFIO (group_lock) and updates coherency after dropping kv->lock', () => {
    const { r, run } = addThenDel('v6.2');
    expect(r).toEqual([0, -ERRNO.EEXIST, 0]);
    expect(addLocks(run.events, 'kvm_vfio_group_add')).toEqual({ setKvm: [], coherency: ['&kv->lock'] });
    expect(run.exec.objects.some((m) => m.kind === 'struct kvm_vfio_group')).toBe(true);
    expect(problems(run)).toEqual([]);
    expect(leaks(run)).toEqual([]);
  });

  it('v6.3: as v6.2, but vfio_file_set_kvm takes kvm_ref_lock', () => {
    const { run } = addThenDel('v6.3');
    const set = run.events.filter((ev) => ev.kind === 'acquire' && ev.stack.includes('vfio_file_set_kvm'));
    expect(set.map((ev) => (ev.kind === 'acquire' ? ev.lock.cls : ''))).toEqual(['&group->kvm_ref_lock', '&group->kvm_ref_lock']);
  });

  it('v6.6: kvm_vfio_file_add does both under kv->lock; the entry is a struct kvm_vfio_file with its own file reference', () => {
    const { r, run } = addThenDel('v6.6');
    expect(r).toEqual([0, -ERRNO.EEXIST, 0]);
    expect(addLocks(run.events, 'kvm_vfio_file_add')).toEqual({ setKvm: ['&kv->lock'], coherency: ['&kv->lock'] });
    // kv->lock is taken once per ADD/DEL: update_coherency no longer locks (the release path needs no lock).
    const kvLocks = run.events.filter((ev) => ev.kind === 'acquire' && ev.lock.cls === '&kv->lock');
    expect(kvLocks.map((ev) => (ev.kind === 'acquire' ? ev.stack.at(-2) : ''))).toEqual(['kvm_vfio_file_add', 'kvm_vfio_file_add', 'kvm_vfio_file_del']);
    const del = run.events.filter((ev) => ev.kind === 'acquire' && ev.stack.includes('kvm_vfio_file_del') && ev.stack.includes('vfio_file_enforced_coherent'));
    expect(del).toEqual([]); // the list is empty after the DEL: nothing to query
    expect(run.exec.objects.some((m) => m.kind === 'struct kvm_vfio_file')).toBe(true);
    expect(problems(run)).toEqual([]);
    expect(leaks(run)).toEqual([]);
  });

  it('v6.18: create, close and create again on one VM; kvm_vfio_create asserts kvm->lock without warning', () => {
    const r: number[] = [];
    const run = runSeq(
      function* (c) {
        const [vm] = yield* createVm(c);
        const kv = yield* createKvmVfio(c, vm);
        r.push(kv >= 0 ? 1 : kv, yield* createKvmVfio(c, vm));
        yield* close(c, kv);
        const kv2 = yield* createKvmVfio(c, vm);
        r.push(kv2 >= 0 ? 1 : kv2);
        yield* close(c, kv2);
        yield* close(c, vm);
      },
      { version: 'v6.18' },
    );
    expect(r).toEqual([1, -ERRNO.EBUSY, 1]);
    expect(problems(run)).toEqual([]);
    expect(leaks(run)).toEqual([]);
  });
});
