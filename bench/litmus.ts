/**
 * Litmus programs for the generic engine: small synthetic programs, each a
 * family of k threads × m operations, whose shapes stress one side of the
 * dependence relation (independent objects, one contended object, locks,
 * reference counts, reads against writes). Small sizes are exhaustible by
 * plain dfs, so their Mazurkiewicz traces can be counted by brute force and
 * dpor's executions compared with that optimum.
 */
import { acquire, atomic, counterOp, release } from '../src/rt/api.js';
import type { Execution, Program } from '../src/rt/execution.js';
import type { Tracked } from '../src/rt/object.js';

/** One litmus program of a family, at one size. */
export interface Litmus {
  /** The family's name, e.g. "dependent". */
  readonly family: string;
  /** Threads. */
  readonly k: number;
  /** Operations (or operation groups) per thread. */
  readonly m: number;
  readonly program: Program;
}

type Cell = Tracked & { v: number };

function cell(exec: Execution, kind = 'cell'): Cell {
  // Fixtures (not owned): the programs never free them, and that is no leak.
  return exec.alloc(kind, { v: 0 }, false);
}

/** (a) k threads × m writes, each thread to its own object: one trace, however many interleavings. */
export function independent(k: number, m: number): Program {
  return {
    start(exec: Execution): void {
      for (let i = 0; i < k; i++) {
        const mine = cell(exec);
        exec.spawn(`t${i}`, 'p', function* () {
          for (let s = 0; s < m; s++) yield* atomic(mine, 'write', 'w', () => void (mine.v = s));
        });
      }
    },
  };
}

/** (b) k threads × m writes, all to one shared object: every interleaving is its own trace. */
export function dependentWrites(k: number, m: number): Program {
  return {
    start(exec: Execution): void {
      const shared = cell(exec);
      for (let i = 0; i < k; i++) {
        exec.spawn(`t${i}`, 'p', function* () {
          for (let s = 0; s < m; s++) yield* atomic(shared, 'write', 'w', () => void (shared.v = i));
        });
      }
    },
  };
}

/**
 * (c) k threads, thread i taking lock i mod 2 m times around a write to the
 * object that lock protects: the traces are the orders of the critical
 * sections of each lock, and the two locks' sections commute.
 */
export function twoLocks(k: number, m: number): Program {
  return {
    start(exec: Execution): void {
      const locks = [exec.newLock('L0', 'mutex'), exec.newLock('L1', 'mutex')];
      const cells = [cell(exec), cell(exec)];
      for (let i = 0; i < k; i++) {
        const lock = locks[i % 2]!;
        const data = cells[i % 2]!;
        exec.spawn(`t${i}`, 'p', function* () {
          for (let s = 0; s < m; s++) {
            yield* acquire(lock);
            yield* atomic(data, 'write', 'w', () => void (data.v = i));
            yield* release(lock);
          }
        });
      }
    },
  };
}

/**
 * (d) k threads, each m times taking and dropping a reference on one shared
 * counter (which starts at 1, so it never hits zero): every get and put is a
 * read-modify-write, so all of them conflict.
 */
export function refcount(k: number, m: number): Program {
  return {
    start(exec: Execution): void {
      const count = exec.newCounter('refs', 1);
      for (let i = 0; i < k; i++) {
        exec.spawn(`t${i}`, 'p', function* () {
          for (let s = 0; s < m; s++) {
            yield* counterOp(count, 'inc', (v) => ({ value: v + 1, result: undefined }));
            yield* counterOp(count, 'dec_and_test', (v) => ({ value: v - 1, result: v - 1 === 0 }));
          }
        });
      }
    },
  };
}

/**
 * (e) k threads × m accesses of one shared object, reads and writes mixed:
 * thread i's s-th access is a write when i + s is odd. Reads commute with
 * each other, so there are fewer traces than with writes only.
 */
export function readWrite(k: number, m: number): Program {
  return {
    start(exec: Execution): void {
      const shared = cell(exec);
      for (let i = 0; i < k; i++) {
        exec.spawn(`t${i}`, 'p', function* () {
          for (let s = 0; s < m; s++) {
            if ((i + s) % 2 === 1) yield* atomic(shared, 'write', 'w', () => void (shared.v = i));
            else yield* atomic(shared, 'read', 'r', () => shared.v);
          }
        });
      }
    },
  };
}

/**
 * (f) Reads that cross a write: t0 writes x0; t1 … t(k-2) each read their own
 * object x1 … x(k-2); the last thread reads x0, then writes x1 … x(k-2). Each
 * thread repeats its pattern m times. Reversing the race on x0 puts the last
 * thread first, and the readers' reads, independent of x0, let sleep sets
 * block some of the schedules source-DPOR then tries: the shape in which
 * source sets without wakeup trees (Abdulla et al.) are known to be not
 * optimal (1.08–1.63 executions per trace here), and what dpor's wakeup
 * trees bring back to one.
 */
export function crossReads(k: number, m: number): Program {
  return {
    start(exec: Execution): void {
      const xs = Array.from({ length: Math.max(k - 1, 1) }, () => cell(exec));
      const x0 = xs[0]!;
      exec.spawn('t0', 'p', function* () {
        for (let s = 0; s < m; s++) yield* atomic(x0, 'write', 'w', () => void (x0.v = s + 1));
      });
      for (let i = 1; i < k - 1; i++) {
        const mine = xs[i]!;
        exec.spawn(`t${i}`, 'p', function* () {
          for (let s = 0; s < m; s++) yield* atomic(mine, 'read', 'r', () => mine.v);
        });
      }
      exec.spawn(`t${k - 1}`, 'p', function* () {
        for (let s = 0; s < m; s++) {
          const seen = yield* atomic(x0, 'read', 'r', () => x0.v);
          for (const x of xs.slice(1)) yield* atomic(x, 'write', 'w', () => void (x.v = seen));
        }
      });
    },
  };
}

/**
 * The original lock-heavy litmus: k threads, each m writes to its own object,
 * then one write to a shared object under one shared lock. Mostly independent
 * work before a single contended section.
 */
export function lockHeavy(k: number, m: number): Program {
  return {
    start(exec: Execution): void {
      const lock = exec.newLock('L', 'mutex');
      const shared = cell(exec, 'shared');
      for (let i = 0; i < k; i++) {
        const mine = cell(exec, 'private');
        exec.spawn(`t${i}`, 'p', function* () {
          for (let s = 0; s < m; s++) yield* atomic(mine, 'write', 'w', () => undefined);
          yield* acquire(lock);
          yield* atomic(shared, 'write', 'w', () => undefined);
          yield* release(lock);
        });
      }
    },
  };
}

/** Every family of the litmus table, by the name the table prints. */
export const FAMILIES: readonly { readonly name: string; readonly make: (k: number, m: number) => Program }[] = [
  { name: 'independent', make: independent },
  { name: 'dependent', make: dependentWrites },
  { name: 'two-locks', make: twoLocks },
  { name: 'refcount', make: refcount },
  { name: 'read-write', make: readWrite },
  { name: 'cross-reads', make: crossReads },
  { name: 'lock-heavy', make: lockHeavy },
];

/**
 * The litmus suite: every family at k = 2..`maxK` threads and m = 1..`maxM`
 * operations per thread, smallest first (so a caller can skip the sizes a
 * smaller one already showed to be out of reach).
 */
export function litmusSuite(maxK = 4, maxM = 3): Litmus[] {
  const out: Litmus[] = [];
  for (const f of FAMILIES) {
    for (let k = 2; k <= maxK; k++) {
      for (let m = 1; m <= maxM; m++) out.push({ family: f.name, k, m, program: f.make(k, m) });
    }
  }
  return out;
}
