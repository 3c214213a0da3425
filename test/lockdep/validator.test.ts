// lockdep on synthetic programs: no kernel model, only threads and locks.
import { describe, expect, it } from 'vitest';
import { DeadlockChecker } from '../../src/check/deadlock.js';
import { DporStrategy } from '../../src/explore/dpor.js';
import { explore, type ExploreResult } from '../../src/explore/explore.js';
import type { Strategy } from '../../src/explore/strategy.js';
import { LockdepChecker } from '../../src/lockdep/validator.js';
import { acquire, release, traced } from '../../src/rt/api.js';
import type { Execution, Program } from '../../src/rt/execution.js';
import type { Lock } from '../../src/rt/lock.js';
import type { Gen } from '../../src/rt/ops.js';
import type { Thread } from '../../src/rt/thread.js';
import { FixedSchedules } from '../helpers/fixed.js';

type Step = { take: string; sub?: number } | { drop: string } | { ret: true };
type World = Record<string, Lock>;

/** Locks by name; names starting with "s" are spinlocks; "A1"/"A2" are two instances of class "A". */
function program(threads: Record<string, Step[]>): Program {
  return {
    start(exec: Execution): void {
      const w: World = {};
      const lock = (n: string): Lock => (w[n] ??= exec.newLock(n.replace(/\d+$/, ''), n.startsWith('s') ? 'spinlock' : 'mutex'));
      for (const steps of Object.values(threads)) for (const s of steps) if ('take' in s) lock(s.take);
      for (const [name, steps] of Object.entries(threads)) {
        exec.spawn(name, 'test', (t) => body({ thread: t }, steps, w));
      }
    },
  };
}

const body = traced('body', function* (o: { thread: Thread }, steps: Step[], w: World): Gen {
  const exec = o.thread.exec;
  for (const s of steps) {
    if ('take' in s) yield* acquire(w[s.take]!, s.sub ?? 0);
    else if ('drop' in s) yield* release(w[s.drop]!);
    else {
      // A user-level operation returning to user space here.
      exec.emit({ kind: 'op-end', step: exec.steps, thread: o.thread, text: 'syscall()', site: null, result: '0', expected: null, output: null });
    }
  }
});

function run(p: Program, strategy: Strategy): ExploreResult {
  const ld = new LockdepChecker();
  return explore(p, { strategy, checkers: [new DeadlockChecker(), ld] });
}

const kinds = (r: ExploreResult): string[] => r.findings.map((f) => f.kind).sort();
const AB: Step[] = [{ take: 'A' }, { take: 'B' }, { drop: 'B' }, { drop: 'A' }];
const BA: Step[] = [{ take: 'B' }, { take: 'A' }, { drop: 'A' }, { drop: 'B' }];

describe('lockdep: circular dependencies', () => {
  it('finds AB-BA from two separate executions that each ran without deadlock', () => {
    // Execution 1 runs t0 then t1; execution 2 runs t1 then t0: neither deadlocks.
    const t0 = Array<string>(4).fill('t0');
    const t1 = Array<string>(4).fill('t1');
    const r = run(program({ t0: AB, t1: BA }), new FixedSchedules([[...t0, ...t1], [...t1, ...t0]]));
    expect(r.statuses.deadlock).toBe(0);
    expect(kinds(r)).toEqual(['lockdep-circular']);
    const f = r.findings[0]!;
    // Execution 2: t1 holds B and wants A, while A -> B was recorded in execution 1.
    expect(f.lockdep?.holding?.cls).toBe('B');
    expect(f.lockdep?.acquiring?.cls).toBe('A');
    expect(f.lockdep?.chain.map((l) => l.cls)).toEqual(['B', 'A']);
    // Two executions only, not all of them: unconfirmed, not ruled out.
    expect(f.confirmation?.status).toBe('unknown');
  });

  it('with every interleaving explored, the AB-BA cycle is confirmed by a deadlocking schedule', () => {
    const r = run(program({ t0: AB, t1: BA }), new DporStrategy());
    const f = r.findings.find((x) => x.kind === 'lockdep-circular')!;
    expect(f.confirmation?.status).toBe('confirmed');
    expect(f.confirmation?.schedule).toEqual(r.findings.find((x) => x.kind === 'deadlock')!.schedule);
  });

  it('finds a 3-lock cycle and prints the chain of all three', () => {
    const r = run(
      program({
        t0: [{ take: 'A' }, { take: 'B' }, { drop: 'B' }, { drop: 'A' }],
        t1: [{ take: 'B' }, { take: 'C' }, { drop: 'C' }, { drop: 'B' }],
        t2: [{ take: 'C' }, { take: 'A' }, { drop: 'A' }, { drop: 'C' }],
      }),
      new FixedSchedules([Array<string>(4).fill('t0').concat(Array<string>(4).fill('t1'), Array<string>(4).fill('t2'))]),
    );
    expect(kinds(r)).toEqual(['lockdep-circular']);
    expect(r.findings[0]!.lockdep?.chain.map((l) => l.cls)).toEqual(['C', 'B', 'A']);
  });

  it('twin: one global order never reports', () => {
    const r = run(program({ t0: AB, t1: AB }), new DporStrategy());
    expect(r.findings).toEqual([]);
  });

  it('a gate lock makes AB-BA unreachable: reported, and ruled out by the complete exploration', () => {
    const gated = (inner: Step[]): Step[] => [{ take: 'G' }, ...inner, { drop: 'G' }];
    const r = run(program({ t0: gated(AB), t1: gated(BA) }), new DporStrategy());
    expect(r.statuses.deadlock).toBe(0);
    const f = r.findings.find((x) => x.kind === 'lockdep-circular')!;
    expect(f.confirmation?.status).toBe('unreachable');
  });
});

describe('lockdep: recursive locking and nesting annotations', () => {
  it('reports two locks of one class taken nested', () => {
    const r = run(program({ t: [{ take: 'A1' }, { take: 'A2' }, { drop: 'A2' }, { drop: 'A1' }] }), new DporStrategy());
    expect(kinds(r)).toEqual(['lockdep-recursive']);
    expect(r.findings[0]!.lockdep?.holding?.cls).toBe('A');
  });

  it('twin: a nesting subclass (mutex_lock_nested) makes it legal', () => {
    const r = run(program({ t: [{ take: 'A1' }, { take: 'A2', sub: 1 }, { drop: 'A2' }, { drop: 'A1' }] }), new DporStrategy());
    expect(r.findings).toEqual([]);
  });
});

describe('lockdep: context rules', () => {
  it('reports a mutex taken under a spinlock; the other order is fine', () => {
    const bad = run(program({ t: [{ take: 's1' }, { take: 'M' }, { drop: 'M' }, { drop: 's1' }] }), new DporStrategy());
    expect(kinds(bad)).toEqual(['lockdep-sleep-in-atomic']);
    const good = run(program({ t: [{ take: 'M' }, { take: 's1' }, { drop: 's1' }, { drop: 'M' }] }), new DporStrategy());
    expect(good.findings).toEqual([]);
  });

  it('reports a lock held when returning to user space; released first is fine', () => {
    const bad = run(program({ t: [{ take: 'M' }, { ret: true }, { drop: 'M' }] }), new DporStrategy());
    expect(kinds(bad)).toEqual(['lockdep-held-on-return']);
    const good = run(program({ t: [{ take: 'M' }, { drop: 'M' }, { ret: true }] }), new DporStrategy());
    expect(good.findings).toEqual([]);
  });

  it('reports an unlock of a lock not held; a balanced unlock is fine', () => {
    const bad = run(program({ t: [{ take: 'M' }, { drop: 'M' }, { drop: 'M' }] }), new DporStrategy());
    expect(kinds(bad)).toEqual(['lockdep-bad-unlock']);
    const good = run(program({ t: [{ take: 'M' }, { drop: 'M' }] }), new DporStrategy());
    expect(good.findings).toEqual([]);
  });
});
