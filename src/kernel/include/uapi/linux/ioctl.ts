/**
 * The _IOC encoding of include/uapi/asm-generic/ioctl.h (x86: 8-bit nr, 8-bit
 * type, 14-bit size, 2-bit direction). Shared by the model and the native
 * backend so both speak one ABI.
 */
const IOC_NRSHIFT = 0;
const IOC_TYPESHIFT = 8;
const IOC_SIZESHIFT = 16;
const IOC_DIRSHIFT = 30;

export const IOC_NONE = 0;
export const IOC_WRITE = 1;
export const IOC_READ = 2;

export function _IOC(dir: number, type: number, nr: number, size: number): number {
  // >>> 0 keeps the value an unsigned 32-bit number, as the kernel's ABI sees it.
  return ((dir << IOC_DIRSHIFT) | (type << IOC_TYPESHIFT) | (nr << IOC_NRSHIFT) | (size << IOC_SIZESHIFT)) >>> 0;
}
export const _IO = (type: number, nr: number): number => _IOC(IOC_NONE, type, nr, 0);
export const _IOW = (type: number, nr: number, size: number): number => _IOC(IOC_WRITE, type, nr, size);
export const _IOWR = (type: number, nr: number, size: number): number => _IOC(IOC_READ | IOC_WRITE, type, nr, size);
