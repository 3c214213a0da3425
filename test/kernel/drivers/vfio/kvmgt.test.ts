import { describe, expect, it } from 'vitest';
import type { vfio_device } from '../../../../src/kernel/drivers/vfio/vfio.js';
import type { file } from '../../../../src/kernel/include/linux/fs.js';
import type { kvm } from '../../../../src/kernel/include/linux/kvm_host.js';
import type { task_struct } from '../../../../src/kernel/include/linux/sched.js';
import type { ioctl_arg } from '../../../../src/kernel/include/linux/uaccess.js';
import { ERRNO } from '../../../../src/kernel/include/uapi/asm-generic/errno.js';
import * as K from '../../../../src/kernel/include/uapi/linux/kvm.js';
import * as V from '../../../../src/kernel/include/uapi/linux/vfio.js';
import { symbol_get } from '../../../../src/kernel/kernel/module.js';
import { new_mm, type Machine } from '../../../../src/kernel/machine.js';
import type { Gen } from '../../../../src/rt/ops.js';
import type { RtEvent } from '../../../../src/rt/events.js';
import { close, fdptr, fileAt, group, int, ioctl, leaks, open, problems, runSeq, str } from './_seq.js';

type set_kvm_t = (current: task_struct, f: file, k: kvm | null) => Gen;
type coherent_t = (current: task_struct, f: file) => Gen<boolean>;
type is_group_t = (f: file) => boolean;

/** Opens group `id` with a type1 container; returns [group fd, container fd]. */
function* groupWithContainer(c: task_struct, id: number): Gen<[number, number]> {
  const g = yield* open(c, `/dev/vfio/${id}`);
  const cf = yield* open(c, '/dev/vfio/vfio');
  yield* ioctl(c, g, V.VFIO_GROUP_SET_CONTAINER, fdptr(cf));
  yield* ioctl(c, cf, V.VFIO_SET_IOMMU, int(V.VFIO_TYPE1v2_IOMMU));
  return [g, cf];
}

function* createVm(c: task_struct): Gen<[number, kvm]> {
  const sys = yield* open(c, '/dev/kvm');
  const vm = yield* ioctl(c, sys, K.KVM_CREATE_VM, int(0));
  yield* close(c, sys);
  return [vm, fileAt(c, vm).private_data as kvm];
}

function* setKvm(c: task_struct, m: Machine, g: number, k: kvm | null): Gen {
  const fn = symbol_get<set_kvm_t>(m, 'vfio_file_set_kvm');
  if (fn === null) throw new Error('vfio_file_set_kvm not exported');
  yield* fn(c, fileAt(c, g), k);
}

/** Lock classes `thread` held at the first event matching `at` (replaying acquire/release in order). */
function heldAt(events: readonly RtEvent[], at: (ev: RtEvent) => boolean): string[] {
  const held: string[] = [];
  for (const ev of events) {
    if (at(ev)) return held.slice();
    if (ev.kind === 'acquire') held.push(ev.lock.cls);
    if (ev.kind === 'release') held.splice(held.lastIndexOf(ev.lock.cls), 1);
  }
  return [];
}

describe('kvmgt (v6.2 intel_vgpu_open_device / intel_vgpu_close_device)', () => {
  it('refuses to open without a VM (ESRCH), leaving the group usable', () => {
    const r: number[] = [];
    const run = runSeq(function* (c, m) {
      const [g] = yield* groupWithContainer(c, 2);
      r.push(yield* ioctl(c, g, V.VFIO_GROUP_GET_DEVICE_FD, str('vgpu0')));
      const dev = group(m, 2).device_list[0] as vfio_device;
      r.push(dev.open_count, group(m, 2).container_users);
    });
    expect(r).toEqual([-ERRNO.ESRCH, 0, 1]);
    expect(problems(run)).toEqual([]);
    expect(leaks(run)).toEqual([]);
  });

  it('refuses a VM created by another mm (ESRCH)', () => {
    const r: number[] = [];
    const run = runSeq(function* (c, m) {
      const [g] = yield* groupWithContainer(c, 2);
      const [vm, k] = yield* createVm({ ...c, mm: new_mm(m) });
      yield* setKvm(c, m, g, k);
      r.push(yield* ioctl(c, g, V.VFIO_GROUP_GET_DEVICE_FD, str('vgpu0')));
      yield* setKvm(c, m, g, null);
      yield* close(c, vm);
    });
    expect(r).toEqual([-ERRNO.ESRCH]);
    expect(leaks(run)).toEqual([]);
  });

  it('vfio_file_set_kvm stores group->kvm under group_lock; the other exports behave', () => {
    const r: (boolean | number)[] = [];
    const run = runSeq(function* (c, m) {
      const [g, cf] = yield* groupWithContainer(c, 1);
      const [vm, k] = yield* createVm(c);
      yield* setKvm(c, m, g, k);
      r.push(group(m, 1).kvm === k);
      const is_group = symbol_get<is_group_t>(m, 'vfio_file_is_group');
      r.push(is_group?.(fileAt(c, g)) ?? -1, is_group?.(fileAt(c, cf)) ?? -1);
      const coherent = symbol_get<coherent_t>(m, 'vfio_file_enforced_coherent');
      if (coherent === null) throw new Error('not exported');
      r.push(yield* coherent(c, fileAt(c, g)));
      const g2 = yield* open(c, '/dev/vfio/2');
      r.push(yield* coherent(c, fileAt(c, g2)), yield* coherent(c, fileAt(c, vm)));
      yield* setKvm(c, m, g, null);
      r.push(group(m, 1).kvm === null);
      yield* close(c, vm);
    });
    expect(r).toEqual([true, true, false, true, false, true, true]);
    const acq = run.events.filter((ev) => ev.kind === 'acquire' && ev.stack.includes('vfio_file_set_kvm'));
    expect(acq.map((ev) => (ev.kind === 'acquire' ? ev.lock.cls : ''))).toEqual([
      '&group->group_lock',
      '&group->group_lock',
    ]);
    const dl = run.events.filter((ev) => ev.kind === 'acquire' && ev.stack.includes('vfio_file_enforced_coherent'));
    expect(dl.map((ev) => (ev.kind === 'acquire' ? ev.lock.cls : ''))).toEqual(['&group->device_lock', '&group->device_lock']);
    expect(problems(run)).toEqual([]);
    expect(leaks(run)).toEqual([]);
  });

  it('holds its own kvm reference and page-track notifier while open; one vGPU per VM', () => {
    const r: number[] = [];
    const host = {
      groups: [
        { id: 2, devices: [{ name: 'vgpu0', driver: 'kvmgt' as const }] },
        { id: 3, devices: [{ name: 'vgpu1', driver: 'kvmgt' as const }] },
      ],
    };
    const run = runSeq(
      function* (c, m) {
        const [g] = yield* groupWithContainer(c, 2);
        const [g3] = yield* groupWithContainer(c, 3);
        const [vm, k] = yield* createVm(c);
        yield* setKvm(c, m, g, k);
        yield* setKvm(c, m, g3, k);
        const d = yield* ioctl(c, g, V.VFIO_GROUP_GET_DEVICE_FD, str('vgpu0'));
        r.push(d >= 0 ? 1 : d, k.users_count.value, k.track_notifiers.length);
        r.push(yield* ioctl(c, g3, V.VFIO_GROUP_GET_DEVICE_FD, str('vgpu1')));
        yield* close(c, d);
        r.push(k.users_count.value, k.track_notifiers.length);
        yield* setKvm(c, m, g, null);
        yield* setKvm(c, m, g3, null);
        yield* close(c, vm);
      },
      { host },
    );
    expect(r).toEqual([1, 2, 1, -ERRNO.EEXIST, 1, 0]);
    expect(problems(run)).toEqual([]);
    expect(leaks(run)).toEqual([]);
  });

  it('drops the last kvm reference in close_device, destroying the VM under group_lock and dev_set->lock', () => {
    const run = runSeq(function* (c, m) {
      const [g] = yield* groupWithContainer(c, 2);
      const [vm, k] = yield* createVm(c);
      yield* setKvm(c, m, g, k);
      const d = yield* ioctl(c, g, V.VFIO_GROUP_GET_DEVICE_FD, str('vgpu0'));
      yield* close(c, vm);
      yield* close(c, d);
    });
    expect(run.exec.status).toBe('done');
    const isKvmFree = (ev: RtEvent): boolean => ev.kind === 'free' && ev.meta.kind === 'struct kvm';
    const free = run.events.find(isKvmFree);
    expect(free?.kind === 'free' ? free.stack : []).toEqual(
      expect.arrayContaining([
        'vfio_device_fops_release',
        'vfio_device_group_close',
        'vfio_device_close',
        'vfio_device_last_close',
        'intel_vgpu_close_device',
        'kvm_put_kvm',
        'kvm_destroy_vm',
      ]),
    );
    expect(heldAt(run.events, isKvmFree)).toEqual(['&group->group_lock', '&dev_set->lock']);
    // group->kvm still points at the freed VM (nobody cleared it): a stale
    // pointer, harmless until the next device open reads it.
    expect(leaks(run)).toEqual([]);
  });
});

describe('the 51cdc8bc120e self-deadlock, end to end (kvm-vfio + kvmgt)', () => {
  const attr = (g: number, a: number): ioctl_arg => ({
    kind: 'mem',
    mem: {
      kind: 'kvm_device_attr',
      flags: 0,
      group: K.KVM_DEV_VFIO_GROUP,
      attr: a,
      addr: { kind: 'mem', mem: { kind: 'i32', value: g } },
    },
  });
  function* body(c: task_struct): Gen {
    const [g] = yield* groupWithContainer(c, 2);
    const [vm] = yield* createVm(c);
    const cd = { kind: 'kvm_create_device' as const, type: K.KVM_DEV_TYPE_VFIO, fd: -1, flags: 0 };
    expect(yield* ioctl(c, vm, K.KVM_CREATE_DEVICE, { kind: 'mem', mem: cd })).toBe(0);
    expect(yield* ioctl(c, cd.fd, K.KVM_SET_DEVICE_ATTR, attr(g, K.KVM_DEV_VFIO_GROUP_ADD))).toBe(0);
    const d = yield* ioctl(c, g, V.VFIO_GROUP_GET_DEVICE_FD, str('vgpu0'));
    expect(d).toBeGreaterThanOrEqual(0);
    // No GROUP_DEL; drop every other kvm reference, the device fd last.
    yield* close(c, vm);
    yield* close(c, cd.fd);
    yield* close(c, d);
  }

  it('v6.2-rc5: closing the device fd deadlocks on group_lock inside kvm_vfio_destroy', () => {
    const run = runSeq(body, { version: 'v6.2-rc5' });
    expect(run.exec.status).toBe('deadlock');
    const t = run.exec.threads[0];
    expect(t?.pending?.kind === 'lock' ? t.pending.lock.cls : '').toBe('&group->group_lock');
    expect(t?.frames).toEqual(
      expect.arrayContaining(['vfio_device_group_close', 'intel_vgpu_close_device', 'kvm_destroy_vm', 'vfio_file_set_kvm']),
    );
  });

  it('v6.2: kvm-vfio is released with its fd, and the device close destroys the VM cleanly', () => {
    const run = runSeq(body, { version: 'v6.2' });
    expect(run.exec.status).toBe('done');
    expect(problems(run)).toEqual([]);
    expect(leaks(run)).toEqual([]);
  });
});
