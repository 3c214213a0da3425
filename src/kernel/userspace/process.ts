/**
 * User space as the scenario describes it: processes (a file table and an mm)
 * and their threads, each executing its list of system calls in order. Not
 * kernel code: this is the "program" side that drives the model.
 */
import type { Gen } from '../../rt/ops.js';
import type { Thread } from '../../rt/thread.js';
import type { FdRef, IoctlArg, IntArg, Syscall } from '../../scenario/program.js';
import { do_syscall_64, type syscall_req } from '../arch/x86/entry/common.js';
import type { files_struct } from '../include/linux/fdtable.js';
import type { mm_struct, task_struct } from '../include/linux/sched.js';
import type { ioctl_arg, user_ptr } from '../include/linux/uaccess.js';
import { errnoName } from '../include/uapi/asm-generic/errno.js';
import { do_exit } from '../kernel/exit.js';
import { copy_process } from '../kernel/fork.js';
import type { Machine } from '../machine.js';
import { VERSION_NAMES } from '../versions.js';
import { KVM_CREATE_DEVICE_TEST } from '../include/uapi/linux/kvm.js';

/** A user process: what its threads share. */
export interface process {
  readonly name: string;
  readonly pid: number;
  readonly files: files_struct;
  readonly mm: mm_struct;
  /** Variables (fd numbers) bound when the process was created or by its setup. */
  readonly vars: Map<string, number>;
}

export function new_task(machine: Machine, thread: Thread, proc: process): task_struct {
  return {
    thread,
    comm: proc.name,
    pid: proc.pid,
    files: proc.files,
    mm: proc.mm,
    task_works: [],
    work_exited: false,
    machine,
  };
}

/** Formats a raw result as strace does: "5", "0" or "-1 EBUSY". */
export function formatResult(ret: number): string {
  if (ret >= 0) return String(ret);
  return `-1 ${errnoName(-ret) ?? `errno ${-ret}`}`;
}

function fdOf(vars: Map<string, number>, ref: FdRef): number {
  if ('num' in ref) return ref.num;
  const v = vars.get(ref.var);
  // The compiler checked the variable is bound; an op that failed leaves it unbound.
  return v ?? -1;
}

const int = (a: IntArg): number => a.value;

/** Builds the ioctl argument in the model's user-memory form. */
export function ioctlArg(vars: Map<string, number>, arg: IoctlArg): ioctl_arg {
  switch (arg.kind) {
    case 'none':
      return { kind: 'null' };
    case 'int':
      return { kind: 'int', value: int(arg.value) };
    case 'badptr':
      return { kind: 'bad' };
    case 'fdptr':
      return { kind: 'mem', mem: { kind: 'i32', value: fdOf(vars, arg.fd) } };
    case 'string':
      return { kind: 'mem', mem: { kind: 'string', value: arg.value } };
    case 'kvm_create_device':
      return { kind: 'mem', mem: { kind: 'kvm_create_device', type: int(arg.type), fd: 0, flags: int(arg.flags) } };
    case 'kvm_device_attr': {
      const addr: user_ptr = arg.addrBad
        ? { kind: 'bad' }
        : arg.fd === null
          ? { kind: 'null' }
          : { kind: 'mem', mem: { kind: 'i32', value: fdOf(vars, arg.fd) } };
      return {
        kind: 'mem',
        mem: { kind: 'kvm_device_attr', flags: int(arg.flags), group: int(arg.group), attr: int(arg.attr), addr },
      };
    }
  }
}

function request(vars: Map<string, number>, op: Syscall): syscall_req | null {
  switch (op.sys) {
    case 'open':
      return { nr: 'open', path: op.path };
    case 'close':
      return { nr: 'close', fd: fdOf(vars, op.fd) };
    case 'dup':
      return { nr: 'dup', fd: fdOf(vars, op.fd) };
    case 'ioctl':
      return { nr: 'ioctl', fd: fdOf(vars, op.fd), cmd: op.requestNumber, arg: ioctlArg(vars, op.arg) };
    case 'exit':
    case 'fork':
      return null;
  }
}

/** The result `op` states for `version` (the last `since` at or before it, else the plain one). */
function expectedText(op: Syscall, version: string): string | null {
  const order = VERSION_NAMES.indexOf(version);
  let e = op.expect;
  for (const s of op.expectSince) if (VERSION_NAMES.indexOf(s.version) <= order) e = s.expect;
  if (e === null) return null;
  return 'ret' in e ? String(e.ret) : `-1 ${e.errno}`;
}

/**
 * The fd an op hands back: the return value, except for KVM_CREATE_DEVICE,
 * which returns 0 and writes the new fd into kvm_create_device.fd (what a
 * scenario binds with `kv = ioctl(vm, KVM_CREATE_DEVICE, …)`).
 */
function outputFd(ret: number, arg: ioctl_arg | null): number | null {
  if (ret < 0) return null;
  if (arg !== null && arg.kind === 'mem' && arg.mem.kind === 'kvm_create_device') {
    // With KVM_CREATE_DEVICE_TEST the kernel writes no fd back: nothing to bind.
    return (arg.mem.flags & KVM_CREATE_DEVICE_TEST) !== 0 ? null : arg.mem.fd;
  }
  return ret;
}

/**
 * Runs one thread's system calls in order. `onFork` receives each child
 * process (setup only). Returns after the last op; the caller decides whether
 * the thread then exits.
 */
export function* run_ops(
  current: task_struct,
  vars: Map<string, number>,
  ops: readonly Syscall[],
  onFork: (name: string, child: process) => void,
): Gen<'exit' | 'end'> {
  const t = current.thread;
  const exec = t.exec;
  const version = current.machine.version.name;
  for (const [i, op] of ops.entries()) {
    t.op = { text: op.call, site: op.site };
    exec.emit({ kind: 'op-begin', step: exec.steps, thread: t, text: op.call, site: op.site });
    let ret: number;
    let out: number | null = null;
    if (op.sys === 'exit') {
      exec.emit({ kind: 'op-end', step: exec.steps, thread: t, text: op.call, site: op.site, result: 'exit', expected: null, output: null });
      return 'exit';
    } else if (op.sys === 'fork') {
      const child = yield* copy_process(current);
      onFork(op.assign, { name: op.assign, pid: child.pid, files: child.files, mm: child.mm, vars: new Map(vars) });
      ret = child.pid;
    } else {
      const req = request(vars, op) as syscall_req;
      ret = yield* do_syscall_64(current, req);
      out = outputFd(ret, req.nr === 'ioctl' ? req.arg : null);
      if ('assign' in op && op.assign !== null && out !== null) vars.set(op.assign, out);
    }
    exec.emit({
      kind: 'op-end',
      step: exec.steps,
      thread: t,
      text: op.call,
      site: op.site,
      result: formatResult(ret),
      expected: expectedText(op, version),
      output: out !== null && out !== ret ? `fd=${out}` : null,
    });
    t.op = null;
    // Back in user space: the system call's kernel frames are gone, and what this thread does next
    // depends only on which op comes next and its fd variables (its task_works ran on the way out).
    exec.forget(t, [i + 1, [...vars], current.task_works.length, current.work_exited]);
  }
  return 'end';
}

/** A thread's whole life: its ops, then do_exit. */
export function* thread_main(current: task_struct, vars: Map<string, number>, ops: readonly Syscall[]): Gen {
  yield* run_ops(current, vars, ops, () => {
    throw new Error('fork outside setup');
  });
  current.thread.op = { text: 'exit', site: null };
  yield* do_exit(current);
}
