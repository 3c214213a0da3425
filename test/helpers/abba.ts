/**
 * AB-BA: t0 takes lock A then B, t1 B then A (or A then B too, with
 * `sameOrder`), each after `work` private steps — a deadlock needs exactly
 * one preemption, between a thread's two acquires.
 */
import { acquire, atomic, release } from '../../src/rt/api.js';
import type { Execution, Program } from '../../src/rt/execution.js';
import type { Lock } from '../../src/rt/lock.js';
import type { Gen } from '../../src/rt/ops.js';

export function abba(work: number, sameOrder = false): Program {
  return {
    start(exec: Execution): void {
      const [a, b] = [exec.newLock('A', 'mutex'), exec.newLock('B', 'mutex')];
      const body = (first: Lock, second: Lock): (() => Gen) =>
        function* () {
          const mine = exec.alloc('private', { v: 0 }, false);
          for (let i = 0; i < work; i++) yield* atomic(mine, 'write', 'work', () => undefined);
          yield* acquire(first);
          yield* acquire(second);
          yield* release(second);
          yield* release(first);
        };
      exec.spawn('t0', 'p', body(a, b));
      exec.spawn('t1', 'p', sameOrder ? body(a, b) : body(b, a));
    },
  };
}
