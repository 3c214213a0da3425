/** include/asm-generic/bug.h — WARN_ON as a runtime warning with the current stack. */
import type { task_struct } from './sched.js';

/** Reports `what` when `cond` holds, and returns `cond` (as the kernel's WARN_ON does). */
export function WARN_ON(current: task_struct, cond: boolean, what: string): boolean {
  if (cond) current.thread.exec.warn(`WARNING: ${what}`);
  return cond;
}
