import { describe, expect, it } from 'vitest';
import { Execution } from '../../src/rt/execution.js';
import { atomic } from '../../src/rt/api.js';
import type { Gen } from '../../src/rt/ops.js';
import type { Thread } from '../../src/rt/thread.js';

/** Runs threads a and b in the given order of steps and returns the fingerprint at the end. */
function fingerprintAfter(order: readonly ('a' | 'b')[], bodies: Record<'a' | 'b', (t: Thread, shared: { v: number; items: unknown[] }) => Gen>): string {
  const exec = new Execution({ maxSteps: 100, listeners: [], fingerprints: true });
  exec.start({
    start(e) {
      const shared = e.alloc('shared', { v: 0, items: [] as unknown[] }, false);
      exec.spawn('a', 'p', (t) => bodies.a(t, shared));
      exec.spawn('b', 'p', (t) => bodies.b(t, shared));
    },
  });
  for (const name of order) {
    const t = exec.threads.find((x) => x.name === name)!;
    if (exec.isEnabled(t)) exec.step(t);
  }
  return exec.fingerprint();
}

describe('state fingerprints', () => {
  it('name a state, not the order objects were allocated in', () => {
    // Each thread allocates an object and publishes it; the two orders end in one state.
    const body = (t: Thread, s: { v: number; items: unknown[] }): Gen =>
      (function* () {
        const mine = t.exec.alloc('item', { owner: t.name }, true);
        yield* atomic(s as never, 'write', 'publish', () => {
          s.items.push(mine);
          s.items.sort((x, y) => String((x as { owner: string }).owner).localeCompare(String((y as { owner: string }).owner)));
        });
      })();
    expect(fingerprintAfter(['a', 'b'], { a: body, b: body })).toBe(fingerprintAfter(['b', 'a'], { a: body, b: body }));
  });

  it('tell apart states that differ only in what a thread observed', () => {
    // a reads v before or after b writes it; v ends at 1 either way, but a saw 0 or 1.
    const a = (_t: Thread, s: { v: number }): Gen =>
      (function* () {
        yield* atomic(s as never, 'read', 'read v', () => s.v);
      })();
    const b = (_t: Thread, s: { v: number }): Gen =>
      (function* () {
        yield* atomic(s as never, 'write', 'write v', () => {
          s.v = 1;
        });
      })();
    expect(fingerprintAfter(['a', 'b'], { a, b })).not.toBe(fingerprintAfter(['b', 'a'], { a, b }));
  });

  /** A thread that reads v, forgets what it read (keeping `live(v)`), then waits to write once more. */
  const forgetting = (live: (v: number) => unknown) => (t: Thread, s: { v: number }): Gen =>
    (function* () {
      const seen = yield* atomic(s as never, 'read', 'read v', () => s.v);
      t.exec.forget(t, live(seen));
      yield* atomic(s as never, 'write', 'write v', () => {
        s.v = 2;
      });
    })();
  const writer = (_t: Thread, s: { v: number }): Gen =>
    (function* () {
      yield* atomic(s as never, 'write', 'write v', () => {
        s.v = 1;
      });
    })();

  it('forget what a thread says its future no longer depends on', () => {
    // a saw 0 or 1, but keeps nothing of it: both orders are one state once b has written.
    const a = forgetting(() => 'next');
    expect(fingerprintAfter(['a', 'b'], { a, b: writer })).toBe(fingerprintAfter(['b', 'a'], { a, b: writer }));
  });

  it('still tell apart what a thread keeps when it forgets the rest', () => {
    const a = forgetting((v) => ['next', v]);
    expect(fingerprintAfter(['a', 'b'], { a, b: writer })).not.toBe(fingerprintAfter(['b', 'a'], { a, b: writer }));
  });
});
