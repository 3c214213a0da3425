import type { Counter } from './counter.js';
import type { Lock } from './lock.js';
import type { Access, Tracked } from './object.js';
import type { Blind, CounterFault, Gen } from './ops.js';
import type { Thread } from './thread.js';

// The operations a model routine yields. Each helper yields exactly one visible
// operation and returns what the runtime resumed it with.

/** Acquires `lock`, blocking while another thread (or this one) holds it. */
export function* acquire(lock: Lock, subclass = 0): Gen {
  yield { kind: 'lock', lock, subclass };
}

/** Tries to acquire `lock` without blocking. */
export function* tryAcquire(lock: Lock): Gen<boolean> {
  return (yield { kind: 'trylock', lock }) as boolean;
}

export function* release(lock: Lock): Gen {
  yield { kind: 'unlock', lock };
}

/**
 * An atomic read-modify-write of `counter`: `apply` maps the old value to the
 * new one and to the result the caller gets; `blind`, where it is a blind add
 * (ops.ts).
 */
export function* counterOp<R>(
  counter: Counter,
  op: string,
  apply: (value: number) => { value: number; result: R; fault?: CounterFault },
  blind?: Blind,
): Gen<R> {
  return (yield blind === undefined ? { kind: 'counter', counter, op, apply } : { kind: 'counter', counter, op, apply, blind }) as R;
}

/** Any other atomic action on one object (a marked shared access, a list mutation). */
export function* atomic<R>(obj: Tracked, access: Access, label: string, apply: () => R): Gen<R> {
  return (yield { kind: 'atomic', obj, access, label, apply }) as R;
}

/** One atomic action over several objects, each with its own access kind (the first is the main one). */
export function* atomicMany<R>(
  objs: readonly [{ obj: Tracked; access: Access }, ...{ obj: Tracked; access: Access }[]],
  label: string,
  apply: () => R,
): Gen<R> {
  const [first, ...rest] = objs;
  return (yield { kind: 'atomic', obj: first.obj, access: first.access, label, apply, also: rest }) as R;
}

/** Frees a tracked object. */
export function* free(obj: Tracked): Gen {
  yield { kind: 'free', obj };
}

/** Blocks until `ready()` holds. */
export function* waitUntil(obj: Tracked, label: string, ready: () => boolean): Gen {
  yield { kind: 'wait', obj, label, ready };
}

/** Anything that knows the thread it runs on. */
export interface OnThread {
  readonly thread: Thread;
}

/**
 * Wraps a model routine so that it appears as one frame, named `name`, on its
 * thread's call stack while it runs. Reports print these frames verbatim, so
 * the model keeps the kernel's function names.
 */
export function traced<A extends [OnThread, ...unknown[]], R>(
  name: string,
  body: (...args: A) => Gen<R>,
): (...args: A) => Gen<R> {
  const f = function* (...args: A): Gen<R> {
    const frames = args[0].thread.frames;
    frames.push(name);
    try {
      return yield* body(...args);
    } finally {
      frames.pop();
    }
  };
  Object.defineProperty(f, 'name', { value: name });
  return f;
}
