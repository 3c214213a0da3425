/**
 * The compiled form of a scenario: what the YAML loader and the TypeScript
 * builder both produce, and what the model harness (and the live backend)
 * execute. Pure data, no behaviour.
 */
import type { Site } from '../rt/thread.js';

/** A file descriptor operand: a variable bound earlier, or a literal number (e.g. 1000, -1). */
export type FdRef = { readonly var: string } | { readonly num: number };

/** An integer operand: a literal or a named uAPI constant resolved to its value. */
export interface IntArg {
  readonly value: number;
  /** The constant's name when the scenario used one (e.g. "KVM_DEV_TYPE_VFIO"). */
  readonly name?: string;
}

/** A user pointer the kernel cannot read (copy_from_user fails: EFAULT). */
export interface BadPtr {
  readonly kind: 'badptr';
}

/** `struct kvm_create_device` (the fd field is an output). */
export interface KvmCreateDeviceArg {
  readonly kind: 'kvm_create_device';
  readonly type: IntArg;
  readonly flags: IntArg;
}

/**
 * `struct kvm_device_attr`. `addr` points to an int32 holding an fd for the
 * kvm-vfio FILE attributes: `fd` gives that value; `addr: badptr` makes the
 * pointer unreadable; neither leaves addr NULL (also unreadable).
 */
export interface KvmDeviceAttrArg {
  readonly kind: 'kvm_device_attr';
  readonly flags: IntArg;
  readonly group: IntArg;
  readonly attr: IntArg;
  readonly fd: FdRef | null;
  readonly addrBad: boolean;
}

/** The third argument of an ioctl, by the request's argument kind. */
export type IoctlArg =
  | { readonly kind: 'none' }
  | { readonly kind: 'int'; readonly value: IntArg }
  /** A pointer to an int holding an fd (VFIO_GROUP_SET_CONTAINER). */
  | { readonly kind: 'fdptr'; readonly fd: FdRef }
  /** A NUL-terminated string (VFIO_GROUP_GET_DEVICE_FD). */
  | { readonly kind: 'string'; readonly value: string }
  | KvmCreateDeviceArg
  | KvmDeviceAttrArg
  | BadPtr;

/** What an op's author said its result must be (`= 0`, `= 5`, `= -1 EBUSY`). */
export type Expectation = { readonly ret: number } | { readonly errno: string };

/** An expected result that holds from `version` on (versions in the order of VERSION_NAMES). */
export interface ExpectationSince {
  readonly version: string;
  readonly expect: Expectation;
}

interface OpBase {
  /** The op as the author wrote it, for diagnostics and reports. */
  readonly text: string;
  /** The call alone, without the stated result: `ioctl(kv, KVM_HAS_DEVICE_ATTR, {group: 1, attr: 3})`. */
  readonly call: string;
  readonly site: Site;
  /** The stated result (before the first `since`), or null. */
  readonly expect: Expectation | null;
  /** Results that replace `expect` from a version on, oldest version first. */
  readonly expectSince: readonly ExpectationSince[];
}

/** One user-level operation: a system call, strace-like. */
export type Syscall =
  | (OpBase & { readonly sys: 'open'; readonly path: string; readonly assign: string | null })
  | (OpBase & { readonly sys: 'close'; readonly fd: FdRef })
  | (OpBase & { readonly sys: 'dup'; readonly fd: FdRef; readonly assign: string | null })
  | (OpBase & {
      readonly sys: 'ioctl';
      readonly fd: FdRef;
      /** The request's name, e.g. "KVM_CREATE_DEVICE", or null for a raw number. */
      readonly request: string | null;
      readonly requestNumber: number;
      readonly arg: IoctlArg;
      readonly assign: string | null;
    })
  /** The calling process exits: every fd it holds is closed (only as a thread's last op). */
  | (OpBase & { readonly sys: 'exit' })
  /** Creates a child process (another mm, a copy of the fd table), named by `assign`. Setup only. */
  | (OpBase & { readonly sys: 'fork'; readonly assign: string });

/** The VFIO drivers the model knows. */
export type DriverName = 'vfio-pci' | 'kvmgt' | 'vfio-ap';

export interface HostDevice {
  readonly name: string;
  readonly driver: DriverName;
}

export interface HostGroup {
  readonly id: number;
  readonly devices: readonly HostDevice[];
}

/** The machine the program runs on. `vfio: null` = no VFIO in the kernel (every FILE_ADD gets EINVAL). */
export interface HostSpec {
  readonly vfio: { readonly groups: readonly HostGroup[] } | null;
}

export interface ThreadSpec {
  readonly name: string;
  /** The process the thread runs in: the main process or one created by fork. */
  readonly process: string;
  readonly ops: readonly Syscall[];
}

/** A compiled scenario. */
export interface ScenarioProgram {
  readonly name: string;
  readonly about: string;
  /** Path of the scenario file as given (for diagnostics and replay tokens). */
  readonly file: string;
  /** Kernel versions the scenario is meant for ("all" already expanded). */
  readonly kernels: readonly string[];
  readonly host: HostSpec;
  /** The main process: setup runs in it, as its first thread. */
  readonly process: string;
  /** Runs first, alone, in the main process, as the thread named "setup". */
  readonly setup: readonly Syscall[];
  /** Run concurrently once setup is done. */
  readonly threads: readonly ThreadSpec[];
}
