/**
 * Helpers shared by the version tests: a VM, a group with a type1 container,
 * a kvm-vfio device and its FILE_ADD/DEL attributes, and the lock classes a
 * thread held at a given event.
 */
import type { kvm } from '../../../../src/kernel/include/linux/kvm_host.js';
import type { task_struct } from '../../../../src/kernel/include/linux/sched.js';
import type { ioctl_arg } from '../../../../src/kernel/include/linux/uaccess.js';
import * as K from '../../../../src/kernel/include/uapi/linux/kvm.js';
import * as V from '../../../../src/kernel/include/uapi/linux/vfio.js';
import type { RtEvent } from '../../../../src/rt/events.js';
import type { Gen } from '../../../../src/rt/ops.js';
import { close, fdptr, fileAt, int, ioctl, open } from './_seq.js';

/** Opens group `id` with a type1 container; returns [group fd, container fd]. */
export function* groupWithContainer(c: task_struct, id: number): Gen<[number, number]> {
  const g = yield* open(c, `/dev/vfio/${id}`);
  const cf = yield* open(c, '/dev/vfio/vfio');
  yield* ioctl(c, g, V.VFIO_GROUP_SET_CONTAINER, fdptr(cf));
  yield* ioctl(c, cf, V.VFIO_SET_IOMMU, int(V.VFIO_TYPE1v2_IOMMU));
  return [g, cf];
}

/** A VM (the /dev/kvm fd is closed again); returns [VM fd, struct kvm]. */
export function* createVm(c: task_struct): Gen<[number, kvm]> {
  const sys = yield* open(c, '/dev/kvm');
  const vm = yield* ioctl(c, sys, K.KVM_CREATE_VM, int(0));
  yield* close(c, sys);
  return [vm, fileAt(c, vm).private_data as kvm];
}

/** KVM_CREATE_DEVICE(VFIO) on `vm`: the new fd, or the negative errno. */
export function* createKvmVfio(c: task_struct, vm: number): Gen<number> {
  const cd = { kind: 'kvm_create_device' as const, type: K.KVM_DEV_TYPE_VFIO, fd: -1, flags: 0 };
  const r = yield* ioctl(c, vm, K.KVM_CREATE_DEVICE, { kind: 'mem', mem: cd });
  return r < 0 ? r : cd.fd;
}

/** The KVM_SET_DEVICE_ATTR argument for FILE_ADD / FILE_DEL of fd `g`. */
export function fileAttr(g: number, a: number): ioctl_arg {
  return {
    kind: 'mem',
    mem: { kind: 'kvm_device_attr', flags: 0, group: K.KVM_DEV_VFIO_GROUP, attr: a, addr: { kind: 'mem', mem: { kind: 'i32', value: g } } },
  };
}

/** Lock classes held at the first event matching `at` (replaying acquire/release in order; one thread). */
export function heldAt(events: readonly RtEvent[], at: (ev: RtEvent) => boolean): string[] {
  const held: string[] = [];
  for (const ev of events) {
    if (at(ev)) return held.slice();
    if (ev.kind === 'acquire') held.push(ev.lock.cls);
    if (ev.kind === 'release') held.splice(held.lastIndexOf(ev.lock.cls), 1);
  }
  return [];
}

/** Lock classes acquired, in order, by events whose stack contains `fn`. */
export function acquiredIn(events: readonly RtEvent[], fn: string): string[] {
  return events.flatMap((ev) => (ev.kind === 'acquire' && ev.stack.includes(fn) ? [ev.lock.cls] : []));
}
