/**
 * Executes one compiled op on the live kernel and returns its result record in
 * the model's words: "5", "0 fd=6", "-1 EBUSY", "pid", "exit". Used alike by
 * the setup thread, the worker threads and forked children, so all three
 * interpret a ScenarioProgram the same way.
 */
import { formatResult } from '../kernel/userspace/process.js';
import { KVM_CREATE_DEVICE } from '../kernel/include/uapi/linux/kvm.js';
import { ioctlByName } from '../kernel/include/uapi/table.js';
import type { FdRef, IoctlArg, Syscall } from '../scenario/program.js';
import { BAD_ADDRESS, createdFd, putCreateDevice, putDeviceAttr, putInt } from './abi.js';
import type { FdTable } from './fdtable.js';
import { O_CLOEXEC, O_RDWR, type Libc, type NativeMem } from './libc.js';
import { refuseOp } from './support.js';

/** One live thread's execution context. */
export interface LiveCtx {
  readonly libc: Libc;
  readonly fds: FdTable;
  /** The thread's variables (virtual fd numbers), as in the model: a copy per thread. */
  readonly vars: Map<string, number>;
  /** Argument memory of this thread. */
  readonly mem: NativeMem;
  /** Starts a forked child (setup only); returns a pid or -errno. */
  readonly fork?: (name: string, vars: ReadonlyMap<string, number>) => number;
}

/** The record of an op that made the calling thread stop (`exit()`). */
export const EXIT_RECORD = 'exit';
/** The record of a successful fork: pids differ between model and host, so only success is compared. */
export const PID_RECORD = 'pid';

/** A scenario fd operand as a virtual number: a bound variable, or the literal. Unbound reads -1, as in the model. */
function virt(cx: LiveCtx, ref: FdRef): number {
  return 'num' in ref ? ref.num : (cx.vars.get(ref.var) ?? -1);
}

/** The ioctl's third argument as the unsigned long the kernel receives. */
function argValue(cx: LiveCtx, arg: IoctlArg): bigint {
  const real = (ref: FdRef): number => cx.fds.toReal(virt(cx, ref));
  switch (arg.kind) {
    case 'none':
      return 0n;
    case 'int':
      return BigInt.asUintN(64, BigInt(arg.value.value));
    case 'badptr':
      return BAD_ADDRESS;
    case 'fdptr':
      return putInt(cx.mem, real(arg.fd));
    case 'kvm_create_device':
      return putCreateDevice(cx.mem, arg.type.value, arg.flags.value);
    case 'kvm_device_attr': {
      const addr = arg.addrBad ? 'bad' : arg.fd === null ? 'null' : { fd: real(arg.fd) };
      return putDeviceAttr(cx.mem, arg.flags.value, arg.group.value, arg.attr.value, addr);
    }
    case 'string':
      throw new Error('live executor: string ioctl arguments are refused before running');
  }
}

/** A new real fd joins the virtual table; returns its virtual number (or the error as is). */
function adopt(cx: LiveCtx, ret: number): number {
  return ret < 0 ? ret : cx.fds.alloc(ret);
}

/** Runs `op`; returns its record. Refused ops throw (callers check support first). */
export function execOp(cx: LiveCtx, op: Syscall): string {
  const why = refuseOp(op);
  if (why !== null) throw new Error(`live executor: ${why}`);
  let ret: number;
  let out: number | null = null;
  switch (op.sys) {
    case 'exit':
      return EXIT_RECORD;
    case 'fork': {
      if (cx.fork === undefined) throw new Error('live executor: fork outside setup');
      const pid = cx.fork(op.assign, cx.vars);
      return pid < 0 ? formatResult(pid) : PID_RECORD;
    }
    case 'open':
      ret = adopt(cx, cx.libc.open(op.path, O_RDWR | O_CLOEXEC));
      out = ret >= 0 ? ret : null;
      break;
    case 'dup':
      ret = adopt(cx, cx.libc.dupCloexec(cx.fds.toReal(virt(cx, op.fd))));
      out = ret >= 0 ? ret : null;
      break;
    case 'close': {
      // Unbind first (see FdTable.take); a number with nothing behind it still reaches the kernel, for its EBADF.
      const v = virt(cx, op.fd);
      ret = cx.libc.close(cx.fds.take(v) ?? cx.fds.toReal(v));
      break;
    }
    case 'ioctl': {
      const value = argValue(cx, op.arg);
      ret = cx.libc.ioctl(cx.fds.toReal(virt(cx, op.fd)), op.requestNumber, value);
      if (op.requestNumber === KVM_CREATE_DEVICE && op.request !== null && ret === 0) {
        // The new fd is written into the struct, not returned (nothing is written with the TEST flag).
        const fd = createdFd(cx.mem);
        out = fd === null ? null : cx.fds.alloc(fd);
      } else if (op.request !== null && ioctlByName(op.request)?.returnsFd === true) {
        ret = adopt(cx, ret);
        out = ret >= 0 ? ret : null;
      }
      break;
    }
  }
  if ('assign' in op && op.assign !== null && out !== null) cx.vars.set(op.assign, out);
  return out !== null && out !== ret ? `${formatResult(ret)} fd=${out}` : formatResult(ret);
}

/** Runs ops in order until the end or an `exit()`; returns their records. */
export function execOps(cx: LiveCtx, ops: readonly Syscall[]): string[] {
  const records: string[] = [];
  for (const op of ops) {
    const r = execOp(cx, op);
    records.push(r);
    if (r === EXIT_RECORD) break;
  }
  return records;
}

/** Closes every fd of the table in ascending order (as exit's close_files does). */
export function closeAll(libc: Libc, fds: FdTable): void {
  for (const [v] of fds.entries()) {
    const real = fds.take(v);
    if (real !== null) libc.close(real);
  }
}
