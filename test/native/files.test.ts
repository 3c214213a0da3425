// FILE_ADD / FILE_DEL arguments the scenario language cannot make (a pipe, a
// socket), checked directly against kernel-semantics §4 rows 15-18 on the
// live kernel: any non-VFIO file is EINVAL for ADD and ENOENT for DEL.
import { afterAll, describe, expect, it } from 'vitest';
import { errnoName } from '../../src/kernel/include/uapi/asm-generic/errno.js';
import * as kvm from '../../src/kernel/include/uapi/linux/kvm.js';
import { ARG_BLOCK_SIZE, createdFd, putCreateDevice, putDeviceAttr, type AttrAddr } from '../../src/native/abi.js';
import { O_CLOEXEC, O_RDWR } from '../../src/native/libc.js';
import { fdLeaks, fdSnapshot } from '../../src/native/leak.js';
import { probe } from './helpers.js';

const libc = probe.libc;
const opened: number[] = [];
const keep = (fd: number): number => {
  expect(fd).toBeGreaterThanOrEqual(0);
  opened.push(fd);
  return fd;
};
const before = fdSnapshot();
afterAll(() => {
  for (const fd of opened.reverse()) libc?.close(fd);
  expect(fdLeaks(before)).toEqual([]);
});

describe.skipIf(libc === null)(`FILE_ADD/DEL arguments on the live kernel (${probe.reason})`, () => {
  const l = libc!;
  const mem = l?.alloc(ARG_BLOCK_SIZE);
  const result = (r: number): string => (r >= 0 ? String(r) : (errnoName(-r) ?? String(r)));
  const setAttr = (dev: number, attr: number, addr: AttrAddr): string =>
    result(l.ioctl(dev, kvm.KVM_SET_DEVICE_ATTR, putDeviceAttr(mem, 0, kvm.KVM_DEV_VFIO_FILE, attr, addr)));

  it('rejects every kind of non-VFIO file, bad fd and bad pointer as §4 says', () => {
    const sys = keep(l.open('/dev/kvm', O_RDWR | O_CLOEXEC));
    const vm = keep(l.ioctl(sys, kvm.KVM_CREATE_VM, 0n));
    expect(l.ioctl(vm, kvm.KVM_CREATE_DEVICE, putCreateDevice(mem, kvm.KVM_DEV_TYPE_VFIO, 0))).toBe(0);
    const dev = keep(createdFd(mem)!);
    const pipe = l.pipe();
    if (typeof pipe === 'number') throw new Error(`pipe2: ${pipe}`);
    pipe.forEach(keep);
    const files: Record<string, number> = {
      '/dev/null': keep(l.open('/dev/null', O_RDWR | O_CLOEXEC)),
      'pipe read end': pipe[0],
      'pipe write end': pipe[1],
      'unix socket': keep(l.socket()),
      'VM fd': vm,
      'device fd itself': dev,
      '/dev/kvm': sys,
    };
    for (const [what, fd] of Object.entries(files)) {
      expect([what, setAttr(dev, kvm.KVM_DEV_VFIO_FILE_ADD, { fd })]).toEqual([what, 'EINVAL']);
      expect([what, setAttr(dev, kvm.KVM_DEV_VFIO_FILE_DEL, { fd })]).toEqual([what, 'ENOENT']);
    }
    const closed = keep(l.open('/dev/null', O_RDWR | O_CLOEXEC));
    l.close(opened.pop()!);
    for (const fd of [closed, -1, 1 << 30]) {
      expect(setAttr(dev, kvm.KVM_DEV_VFIO_FILE_ADD, { fd })).toBe('EBADF');
      expect(setAttr(dev, kvm.KVM_DEV_VFIO_FILE_DEL, { fd })).toBe('EBADF');
    }
    expect(setAttr(dev, kvm.KVM_DEV_VFIO_FILE_ADD, 'bad')).toBe('EFAULT');
    expect(setAttr(dev, kvm.KVM_DEV_VFIO_FILE_DEL, 'null')).toBe('EFAULT');
  });
});
