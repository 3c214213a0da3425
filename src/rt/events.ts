import type { Counter } from './counter.js';
import type { Lock } from './lock.js';
import type { CounterFault } from './ops.js';
import type { Access, ObjMeta } from './object.js';
import type { HeldLock, Site, Thread } from './thread.js';
import type { UnorderedViolation } from './unordered.js';

/**
 * What the runtime tells its listeners (checkers, trace recorders). Events are
 * generic: threads, locks, counters, objects and user-level operations.
 * `step` is the index of the visible operation that produced the event.
 */
export type RtEvent =
  /**
   * A thread is about to take a lock (it may block): what lockdep validates,
   * before the wait, as the kernel's lock_acquire does. `held` is what the
   * thread holds at that moment.
   */
  | {
      kind: 'attempt';
      step: number;
      thread: Thread;
      lock: Lock;
      subclass: number;
      trylock: boolean;
      stack: readonly string[];
      held: readonly HeldLock[];
    }
  | { kind: 'acquire'; step: number; thread: Thread; lock: Lock; subclass: number; stack: readonly string[] }
  | { kind: 'release'; step: number; thread: Thread; lock: Lock; stack: readonly string[]; held: boolean }
  | {
      kind: 'counter';
      step: number;
      thread: Thread;
      counter: Counter;
      op: string;
      before: number;
      after: number;
      fault: CounterFault | null;
      stack: readonly string[];
      /**
       * The operation's memory ordering where it ran as a blind add (its
       * declared range held the value: ops.ts `Blind`), else null: fully ordered.
       */
      blind: 'relaxed' | 'release' | null;
    }
  | { kind: 'alloc'; step: number; thread: Thread | null; meta: ObjMeta }
  | { kind: 'free'; step: number; thread: Thread; meta: ObjMeta; stack: readonly string[]; double: boolean }
  | {
      kind: 'access-freed';
      step: number;
      thread: Thread;
      meta: ObjMeta;
      field: string;
      access: Access;
      stack: readonly string[];
    }
  /** `access[i]` is how `objs[i]` was touched. */
  | { kind: 'atomic'; step: number; thread: Thread; label: string; stack: readonly string[]; objs: readonly ObjMeta[]; access: readonly Access[] }
  /** A plain (unmarked) field access of a tracked object; only emitted when a listener asks for them. */
  | { kind: 'plain'; step: number; thread: Thread; meta: ObjMeta; field: string; access: Access }
  /** A model invariant failed (the kernel's WARN_ON, lockdep_assert_held, …). */
  | { kind: 'warn'; step: number; thread: Thread; message: string; stack: readonly string[] }
  /** A user-level operation starts or ends (a syscall, for the kernel model). */
  | { kind: 'op-begin'; step: number; thread: Thread; text: string; site: Site | null }
  | {
      kind: 'op-end';
      step: number;
      thread: Thread;
      text: string;
      site: Site | null;
      result: string;
      /** What the program said the result must be, if anything. */
      expected: string | null;
      /** Values the operation wrote back besides its result (e.g. "fd=5"), for traces. */
      output: string | null;
    }
  | { kind: 'thread-exit'; step: number; thread: Thread }
  /** A write that breaks a list's order-insensitivity declaration (unordered.ts); `thread` made it. */
  | { kind: 'unordered'; step: number; thread: Thread; violation: UnorderedViolation };

/** A consumer of runtime events; checkers implement it. */
export interface Listener {
  event(ev: RtEvent): void;
}
