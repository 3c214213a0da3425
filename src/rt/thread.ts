import { Hash } from './fingerprint.js';
import type { Execution } from './execution.js';
import type { Lock } from './lock.js';
import type { Relative } from './symmetry.js';
import type { Gen, Visible } from './ops.js';

/** Where a user-level operation came from (a scenario line), for reports. */
export interface Site {
  readonly file: string;
  readonly line: number;
  readonly col: number;
}

/** One lock a thread holds, with the stack that acquired it. */
export interface HeldLock {
  readonly lock: Lock;
  readonly subclass: number;
  readonly stack: readonly string[];
}

/** The user-level operation a thread is executing (a syscall, for the kernel model). */
export interface CurrentOp {
  readonly text: string;
  readonly site: Site | null;
}

export type ThreadState = 'runnable' | 'done';

/**
 * A model thread: a coroutine the scheduler resumes one visible operation at a
 * time. `frames` is the model call stack (outermost first) that reports print;
 * `held` is the held-lock stack in acquisition order.
 */
export class Thread {
  readonly id: number;
  readonly name: string;
  /** The thread group (a process, for the kernel model). */
  readonly group: string;
  state: ThreadState = 'runnable';
  /** The operation the thread will perform when next scheduled; null when done. */
  pending: Visible | null = null;
  readonly frames: string[] = [];
  readonly held: HeldLock[] = [];
  op: CurrentOp | null = null;
  /** Visible operations this thread has performed. */
  steps = 0;
  /**
   * Everything this thread has observed (operation results and shared fields
   * it read), hashed: a deterministic thread's local state is a function of
   * it. Kept only when the execution computes fingerprints; restarted by
   * {@link Execution.forget}.
   */
  obs = new Hash();
  /** With symmetry: the roles what it observed names, by slot (`obs` is relative to them, symmetry.ts). */
  rel: Relative | null = null;
  /** Objects this thread has allocated (for their stable ids). */
  allocated = 0;
  /** Per-thread state owned by the model (a task_struct, for the kernel model). */
  data: unknown = null;
  /** @internal */
  gen: Gen | null = null;
  /** The execution this thread belongs to (set by {@link Execution.spawn}). */
  exec!: Execution;
  /** The thread whose step spawned this one (null for the program's initial threads). */
  parent: Thread | null = null;
  /** The execution's step count when it was spawned (what came before is ordered before it). */
  born = 0;

  constructor(id: number, name: string, group: string) {
    this.id = id;
    this.name = name;
    this.group = group;
  }

  /** A snapshot of the model call stack, outermost first. */
  stack(): string[] {
    return this.frames.slice();
  }
}
