/**
 * Turns a compiled scenario into a runtime program for one kernel version:
 * boot the machine (KVM, and VFIO when the host has it), run setup alone in the
 * main process, then start every scenario thread at once.
 */
import type { Execution, Program } from '../../rt/execution.js';
import type { Gen } from '../../rt/ops.js';
import type { ScenarioProgram } from '../../scenario/program.js';
import { chr_dev_init } from '../drivers/char/mem.js';
import { vfio_init } from '../drivers/vfio/vfio_main.js';
import { alloc_files } from '../fs/file.js';
import { alloc_file } from '../fs/file_table.js';
import type { files_struct } from '../include/linux/fdtable.js';
import { O_RDWR } from '../include/linux/fs.js';
import type { task_struct } from '../include/linux/sched.js';
import { do_exit } from '../kernel/exit.js';
import { createMachine, new_mm, type Machine } from '../machine.js';
import type { KernelVersion } from '../versions.js';
import { kvm_init } from '../virt/kvm/kvm_main.js';
import { new_task, run_ops, thread_main, type process } from './process.js';

/** Boots a machine for one execution: /dev/null and KVM always, VFIO as the host declares. */
export function boot(exec: Execution, version: KernelVersion, host: ScenarioProgram['host']): Machine {
  const machine = createMachine(exec, version);
  chr_dev_init(machine);
  kvm_init(machine);
  vfio_init(machine, host.vfio);
  return machine;
}

function* setup_main(machine: Machine, current: task_struct, prog: ScenarioProgram, main: process): Gen {
  const children: process[] = [];
  const end = yield* run_ops(current, main.vars, prog.setup, (_name, child) => children.push(child));
  const exec = current.thread.exec;
  let mainHasThreads = false;
  for (const proc of [main, ...children]) {
    const threads = prog.threads.filter((th) => th.process === proc.name);
    if (proc === main) {
      mainHasThreads = threads.length > 0;
      // Setup hands its share of the main table over to the threads it clones.
      if (mainHasThreads) proc.files.count.value += threads.length - 1;
    } else {
      // A forked child with no thread of its own just exits.
      const n = Math.max(threads.length, 1);
      proc.files.count.value += n;
      if (threads.length === 0) {
        exec.spawn(proc.name, proc.name, (t) => thread_main(new_task(machine, t, proc), new Map(proc.vars), []));
      }
    }
    for (const th of threads) {
      exec.spawn(th.name, proc.name, (t) => thread_main(new_task(machine, t, proc), new Map(proc.vars), th.ops));
    }
  }
  if (!mainHasThreads || end === 'exit') {
    current.thread.op = { text: 'exit', site: null };
    yield* do_exit(current);
  }
}

/** fds 0, 1 and 2 of a new process, here all /dev/null: the scenario's first open gets fd 3, as in real life. */
function open_stdio(machine: Machine, files: files_struct): void {
  const dev = machine.chrdevs.get('/dev/null');
  if (dev === undefined) throw new Error('/dev/null is not registered');
  for (let fd = 0; fd < 3; fd++) {
    files.fd[fd] = alloc_file(machine.exec, '/dev/null', dev.fops, dev.inode, O_RDWR, null);
    files.open_fds[fd] = true;
  }
}

/** The runtime program of `prog` on `version`. */
export function modelProgram(prog: ScenarioProgram, version: KernelVersion): Program {
  return {
    start(exec: Execution): void {
      const machine = boot(exec, version, prog.host);
      const main: process = {
        name: prog.process,
        pid: machine.nextPid++,
        files: alloc_files(null, exec),
        mm: new_mm(machine),
        vars: new Map(),
      };
      open_stdio(machine, main.files);
      exec.spawn('setup', prog.process, (t) => setup_main(machine, new_task(machine, t, main), prog, main));
    },
  };
}
