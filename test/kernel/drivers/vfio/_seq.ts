/**
 * A tiny sequential driver for VFIO model tests: boots a machine (KVM, and
 * VFIO as the host says), runs one task's generator to completion (then
 * do_exit, closing every fd), always stepping the first enabled thread, and
 * records every runtime event.
 */
import { do_syscall_64 } from '../../../../src/kernel/arch/x86/entry/common.js';
import { vfio_globals_of, vfio_init } from '../../../../src/kernel/drivers/vfio/vfio_main.js';
import type { vfio_group } from '../../../../src/kernel/drivers/vfio/vfio.js';
import { alloc_files } from '../../../../src/kernel/fs/file.js';
import type { file } from '../../../../src/kernel/include/linux/fs.js';
import type { task_struct } from '../../../../src/kernel/include/linux/sched.js';
import type { ioctl_arg } from '../../../../src/kernel/include/linux/uaccess.js';
import { do_exit } from '../../../../src/kernel/kernel/exit.js';
import { createMachine, new_mm, type Machine } from '../../../../src/kernel/machine.js';
import { kernelVersion } from '../../../../src/kernel/versions.js';
import { kvm_init } from '../../../../src/kernel/virt/kvm/kvm_main.js';
import type { RtEvent } from '../../../../src/rt/events.js';
import { Execution } from '../../../../src/rt/execution.js';
import type { Gen } from '../../../../src/rt/ops.js';
import type { HostSpec } from '../../../../src/scenario/program.js';

export interface SeqRun {
  readonly exec: Execution;
  readonly machine: Machine;
  readonly events: RtEvent[];
}

/** One group (id 1) with one vfio-pci device "0000:00:01.0"; group 2 holds a kvmgt vGPU "vgpu0". */
export const HOST: HostSpec['vfio'] = {
  groups: [
    { id: 1, devices: [{ name: '0000:00:01.0', driver: 'vfio-pci' }] },
    { id: 2, devices: [{ name: 'vgpu0', driver: 'kvmgt' }] },
  ],
};

/** Runs `body` as the only task of a fresh machine, then exits it. */
export function runSeq(
  body: (current: task_struct, machine: Machine) => Gen,
  opts: { readonly host?: HostSpec['vfio']; readonly version?: string } = {},
): SeqRun {
  const events: RtEvent[] = [];
  const exec = new Execution({ maxSteps: 100000, listeners: [{ event: (ev) => events.push(ev) }] });
  const version = kernelVersion(opts.version ?? 'v6.2');
  if (version === undefined) throw new Error(`unknown version ${opts.version ?? ''}`);
  const machine = createMachine(exec, version);
  kvm_init(machine);
  vfio_init(machine, opts.host === undefined ? HOST : opts.host);
  exec.start({
    start: (e) => {
      e.spawn('test', 'test', function* (t) {
        const current: task_struct = {
          thread: t,
          comm: 'test',
          pid: machine.nextPid++,
          files: alloc_files(null, e),
          mm: new_mm(machine),
          task_works: [],
          work_exited: false,
          machine,
        };
        yield* body(current, machine);
        yield* do_exit(current);
      });
    },
  });
  while (exec.status === 'running') {
    const t = exec.enabled()[0];
    if (t === undefined) break;
    exec.step(t);
  }
  return { exec, machine, events };
}

// ---- system calls (with the return to user space: pending task work runs) ---

export const open = (c: task_struct, path: string): Gen<number> => do_syscall_64(c, { nr: 'open', path });
export const close = (c: task_struct, fd: number): Gen<number> => do_syscall_64(c, { nr: 'close', fd });
export const ioctl = (c: task_struct, fd: number, cmd: number, arg: ioctl_arg = { kind: 'null' }): Gen<number> =>
  do_syscall_64(c, { nr: 'ioctl', fd, cmd, arg });

// ---- ioctl arguments ---------------------------------------------------------

export const int = (value: number): ioctl_arg => ({ kind: 'int', value });
export const fdptr = (fd: number): ioctl_arg => ({ kind: 'mem', mem: { kind: 'i32', value: fd } });
export const str = (value: string): ioctl_arg => ({ kind: 'mem', mem: { kind: 'string', value } });
export const BAD: ioctl_arg = { kind: 'bad' };

// ---- inspection --------------------------------------------------------------

export function group(machine: Machine, id: number): vfio_group {
  const g = vfio_globals_of(machine)?.groups.find((x) => x.id === id);
  if (g === undefined) throw new Error(`no group ${id}`);
  return g;
}

/** The file installed at `fd` in the task's table. */
export function fileAt(current: task_struct, fd: number): file {
  const f = current.files?.fd[fd];
  if (f === null || f === undefined) throw new Error(`fd ${fd} not installed`);
  return f;
}

/** Labels of owned objects never freed. */
export function leaks(run: SeqRun): string[] {
  return run.exec.objects.filter((m) => m.owned && !m.freed).map((m) => m.label);
}

/** Warnings and refcount faults and UAFs the run produced. */
export function problems(run: SeqRun): string[] {
  const out: string[] = [];
  for (const ev of run.events) {
    if (ev.kind === 'warn') out.push(ev.message);
    else if (ev.kind === 'access-freed') out.push(`UAF ${ev.meta.label}.${ev.field}`);
    else if (ev.kind === 'counter' && ev.fault !== null) out.push(`${ev.counter.name}: ${ev.fault}`);
    else if (ev.kind === 'free' && ev.double) out.push(`double free ${ev.meta.label}`);
  }
  return out;
}
