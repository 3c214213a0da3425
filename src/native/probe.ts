/**
 * "Is /dev/kvm usable here, and if not, why?" — asked before anything runs on
 * the live kernel. Importing this module never throws; probing never throws
 * either: every failure becomes a one-line reason.
 */
import { existsSync, readFileSync } from 'node:fs';
import { errnoName } from '../kernel/include/uapi/asm-generic/errno.js';
import {
  KVM_API_VERSION,
  KVM_CAP_DEVICE_CTRL,
  KVM_CHECK_EXTENSION,
  KVM_CREATE_DEVICE,
  KVM_CREATE_DEVICE_TEST,
  KVM_CREATE_VM,
  KVM_DEV_TYPE_VFIO,
  KVM_GET_API_VERSION,
} from '../kernel/include/uapi/linux/kvm.js';
import { ARG_BLOCK_SIZE, abiConsistent, putCreateDevice } from './abi.js';
import { isLibcFailure, loadLibc, O_CLOEXEC, O_RDWR, type Libc } from './libc.js';

/** The probe's answer. */
export interface Probe {
  readonly usable: boolean;
  /** One line: what was found usable, or why not. */
  readonly reason: string;
  /** The running kernel's release (uname -r), when readable. */
  readonly kernel: string | null;
  /** Loaded libc bindings, when usable. */
  readonly libc: Libc | null;
}

/** The device node the live backend talks to. */
export const DEV_KVM = '/dev/kvm';

const err = (r: number): string => errnoName(-r) ?? `errno ${-r}`;

function kernelRelease(): string | null {
  try {
    return readFileSync('/proc/sys/kernel/osrelease', 'utf8').trim();
  } catch {
    return null;
  }
}

/** Opens /dev/kvm and checks what conformance runs need; closes every fd it opened. */
function check(libc: Libc): string | null {
  const kvm = libc.open(DEV_KVM, O_RDWR | O_CLOEXEC);
  if (kvm < 0) return `cannot open ${DEV_KVM}: ${err(kvm)}`;
  try {
    const api = libc.ioctl(kvm, KVM_GET_API_VERSION, 0n);
    if (api !== KVM_API_VERSION) return `KVM_GET_API_VERSION returned ${api}, expected ${KVM_API_VERSION}`;
    if (libc.ioctl(kvm, KVM_CHECK_EXTENSION, BigInt(KVM_CAP_DEVICE_CTRL)) !== 1) return 'KVM_CAP_DEVICE_CTRL is not supported';
    const vm = libc.ioctl(kvm, KVM_CREATE_VM, 0n);
    if (vm < 0) return `KVM_CREATE_VM failed: ${err(vm)}`;
    try {
      const mem = libc.alloc(ARG_BLOCK_SIZE);
      const r = libc.ioctl(vm, KVM_CREATE_DEVICE, putCreateDevice(mem, KVM_DEV_TYPE_VFIO, KVM_CREATE_DEVICE_TEST));
      if (r < 0) return `the kernel has no kvm-vfio device (KVM_CREATE_DEVICE TEST: ${err(r)})`;
    } finally {
      libc.close(vm);
    }
    return null;
  } finally {
    libc.close(kvm);
  }
}

let cached: Promise<Probe> | null = null;

/**
 * Probes once per thread (later calls share the answer). The environment
 * variable KVMSIM_LIVE=off makes the answer "not usable" on any machine — to
 * keep a run off the live kernel, and to test what happens without one.
 */
export function probeKvm(): Promise<Probe> {
  cached ??= (async (): Promise<Probe> => {
    const kernel = kernelRelease();
    const no = (reason: string): Probe => ({ usable: false, reason, kernel, libc: null });
    if (process.env.KVMSIM_LIVE === 'off') return no('the live backend is turned off (KVMSIM_LIVE=off)');
    if (process.platform !== 'linux') return no(`not Linux (${process.platform})`);
    if (!abiConsistent()) return no('internal: native struct layouts disagree with the uAPI ioctl numbers');
    if (!existsSync(DEV_KVM)) return no(`no ${DEV_KVM} on this machine`);
    const libc = await loadLibc();
    if (isLibcFailure(libc)) return no(`koffi (optional dependency) cannot be loaded: ${libc.error}`);
    try {
      const why = check(libc);
      if (why !== null) return no(why);
    } catch (e) {
      return no(`probing ${DEV_KVM} failed: ${(e as Error).message}`);
    }
    return { usable: true, reason: `${DEV_KVM} usable (Linux ${kernel ?? '?'}, koffi ${libc.koffiVersion})`, kernel, libc };
  })();
  return cached;
}
