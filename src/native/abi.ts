/**
 * The byte layout of the KVM structs the native backend passes to the kernel,
 * derived from the shared uAPI module (src/kernel/include/uapi/linux/kvm.ts):
 * the ioctl numbers there encode the struct sizes, and the offsets below are
 * checked against those sizes, so model and backend speak one ABI.
 */
import {
  KVM_CREATE_DEVICE,
  KVM_HAS_DEVICE_ATTR,
  SIZEOF_KVM_CREATE_DEVICE,
  SIZEOF_KVM_DEVICE_ATTR,
} from '../kernel/include/uapi/linux/kvm.js';
import type { NativeMem } from './libc.js';

/** struct kvm_create_device { __u32 type; __u32 fd; __u32 flags; } */
export const CREATE_DEVICE = { type: 0, fd: 4, flags: 8, size: SIZEOF_KVM_CREATE_DEVICE } as const;
/** struct kvm_device_attr { __u32 flags; __u32 group; __u64 attr; __u64 addr; } */
export const DEVICE_ATTR = { flags: 0, group: 4, attr: 8, addr: 16, size: SIZEOF_KVM_DEVICE_ATTR } as const;

/** Where the int32 fd that kvm_device_attr.addr points at lives in the argument block. */
const FD_SLOT = 32;
/** Bytes of native memory one executor needs for any argument. */
export const ARG_BLOCK_SIZE = 64;

/**
 * What the kernel leaves in kvm_create_device.fd when it writes no fd (TEST
 * flag, or failure): a value no fd can have, so "untouched" is observable.
 */
export const FD_UNTOUCHED = 0xdeadbeef;

/**
 * An address user space never maps (below vm.mmap_min_addr): copy_from_user
 * from it faults, which is what the scenario's BADPTR means.
 */
export const BAD_ADDRESS = 0x8n;

const sizeOf = (request: number): number => (request >>> 16) & 0x3fff;

/** Whether the _IOC size fields of the shared ioctl numbers agree with the layouts here (tested). */
export function abiConsistent(): boolean {
  return sizeOf(KVM_CREATE_DEVICE) === CREATE_DEVICE.size && sizeOf(KVM_HAS_DEVICE_ATTR) === DEVICE_ATTR.size;
}

/** Writes a struct kvm_create_device (fd preset to FD_UNTOUCHED); returns its address. */
export function putCreateDevice(mem: NativeMem, type: number, flags: number): bigint {
  mem.u32(CREATE_DEVICE.type, type);
  mem.u32(CREATE_DEVICE.fd, FD_UNTOUCHED);
  mem.u32(CREATE_DEVICE.flags, flags);
  return mem.address;
}

/** The fd field of the struct kvm_create_device written by putCreateDevice, or null if the kernel left it. */
export function createdFd(mem: NativeMem): number | null {
  const fd = mem.readU32(CREATE_DEVICE.fd);
  return fd === FD_UNTOUCHED ? null : fd;
}

/** Where kvm_device_attr.addr points: an int32 holding `fd`, NULL, or an unreadable address. */
export type AttrAddr = { readonly fd: number } | 'null' | 'bad';

/** Writes a struct kvm_device_attr (and the int32 its addr points at); returns its address. */
export function putDeviceAttr(mem: NativeMem, flags: number, group: number, attr: number, addr: AttrAddr): bigint {
  mem.u32(DEVICE_ATTR.flags, flags);
  mem.u32(DEVICE_ATTR.group, group);
  mem.u64(DEVICE_ATTR.attr, BigInt(attr));
  let a = 0n;
  if (addr === 'bad') a = BAD_ADDRESS;
  else if (addr !== 'null') {
    mem.i32(FD_SLOT, addr.fd);
    a = mem.address + BigInt(FD_SLOT);
  }
  mem.u64(DEVICE_ATTR.addr, a);
  return mem.address;
}

/** Writes an int32 (VFIO_GROUP_SET_CONTAINER-style fd pointer); returns its address. */
export function putInt(mem: NativeMem, value: number): bigint {
  mem.i32(FD_SLOT, value);
  return mem.address + BigInt(FD_SLOT);
}
