/**
 * include/linux/sched.h — the parts of task_struct the model uses. Every model
 * function takes `current` first: the task it runs in, as in the kernel.
 */
import type { Gen } from '../../../rt/ops.js';
import type { Thread } from '../../../rt/thread.js';
import type { Machine } from '../../machine.js';
import type { files_struct } from './fdtable.js';

/** An address space; only its identity matters (KVM refuses callers from another mm). */
export interface mm_struct {
  readonly id: number;
}

/** A deferred callback run on return to user space (task_work_add). */
export interface callback_head {
  readonly func: (current: task_struct) => Gen;
}

export interface task_struct {
  /** The runtime thread this task runs on (its stack is the model call stack). */
  readonly thread: Thread;
  /** The process name (lockdep prints comm/pid). */
  readonly comm: string;
  readonly pid: number;
  files: files_struct | null;
  readonly mm: mm_struct;
  /** Pending task work, newest first: run LIFO since c82199061009 (v4.3). */
  task_works: callback_head[];
  /** Set once do_exit has run exit_task_work: no more task work can be queued. */
  work_exited: boolean;
  /** The modelled machine (kernel version, registered devices, host fixtures). */
  readonly machine: Machine;
}
