/**
 * Random programs for the explorer's property tests: threads of reads, writes,
 * two-object moves and (properly nested) lock and trylock sections over two
 * cells and two locks, with the oracle's view of how an execution ended.
 */
import fc from 'fast-check';
import { DeadlockChecker } from '../../src/check/deadlock.js';
import { RaceChecker } from '../../src/check/races.js';
import { WarningChecker } from '../../src/check/warnings.js';
import { explore } from '../../src/explore/explore.js';
import type { Strategy } from '../../src/explore/strategy.js';
import { acquire, atomic, atomicMany, counterOp, release, tryAcquire } from '../../src/rt/api.js';
import type { Counter } from '../../src/rt/counter.js';
import type { Execution, Program } from '../../src/rt/execution.js';
import type { Listener, RtEvent } from '../../src/rt/events.js';
import type { Lock } from '../../src/rt/lock.js';
import type { Tracked } from '../../src/rt/object.js';
import type { Gen } from '../../src/rt/ops.js';
import { unordered } from '../../src/rt/unordered.js';
import { UnorderedChecker } from '../../src/check/unordered.js';

// A random program: threads of reads, writes and (properly nested) lock sections
// over two cells and two locks, and plain accesses of a shared record. Reads are
// logged, so the terminal state says which writes each read saw: equal
// terminal-state sets mean equal behaviours (for programs without data races).
export type Op =
  | { k: 'r'; x: number }
  /** One atomic action that reads cell x and writes cell 1-x (two objects). */
  | { k: 'mv'; x: number }
  | { k: 'w'; x: number; v: number }
  | { k: 'lock'; l: number; body: Op[] }
  | { k: 'try'; l: number; body: Op[] }
  /** A plain (unmarked) access of field f of a shared record: no visible operation, a data race unless ordered. */
  | { k: 'p'; f: number; write: boolean }
  /**
   * Publishes into cell x a new object naming the thread that allocated it
   * (symmetry: an object owned by a thread, a field holding its name, a cell
   * referring to it).
   */
  | { k: 'pub'; x: number }
  /** Starts a child thread running `body` (it knows what its parent did so far). */
  | { k: 'spawn'; body: Op[] }
  /** A reference get on counter c (inc_not_zero: blind at one and up, unordered); logs whether it got one. */
  | { k: 'get'; c: number }
  /** A reference put on counter c (dec_and_test: blind at two and up, a release); logs whether it was the last. */
  | { k: 'put'; c: number }
  /** An atomic read of counter c (it observes every update); logs the value. */
  | { k: 'cr'; c: number }
  /** get; body; put — a reference held across `body` (covered puts). */
  | { k: 'ref'; c: number; body: Op[] }
  /** Writes v into the thread's own device (device symmetry), under lock 0 or not (which breaks the list's declaration). */
  | { k: 'dw'; v: number; locked: boolean }
  /** Under lock 0, asks whether a device of the order-insensitive list holds `v` (or any non-zero: v 0); logs the answer. */
  | { k: 'ds'; v: number }
  /** Under lock 0, finds the device holding `v` (plain reads); logs which (two holding it break the list's declaration). */
  | { k: 'df'; v: number };

/** A cell's value: a number, or an object a thread published. */
type CellValue = number | (Tracked & { by: string });
const show = (v: CellValue): string => (typeof v === 'number' ? String(v) : `n(${v.by})`);

const leaf: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ k: fc.constant('r' as const), x: fc.integer({ min: 0, max: 1 }) }),
  fc.record({ k: fc.constant('mv' as const), x: fc.integer({ min: 0, max: 1 }) }),
  fc.record({ k: fc.constant('w' as const), x: fc.integer({ min: 0, max: 1 }), v: fc.integer({ min: 1, max: 3 }) }),
  fc.record({ k: fc.constant('p' as const), f: fc.integer({ min: 0, max: 1 }), write: fc.boolean() }),
);
function opOf(leaf: fc.Arbitrary<Op>): fc.Arbitrary<Op> {
  return fc.oneof(
  { weight: 3, arbitrary: leaf },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('lock' as const), l: fc.integer({ min: 0, max: 1 }), body: fc.array(leaf, { maxLength: 2 }) }) },
  {
    weight: 1,
    arbitrary: fc.record({
      k: fc.constant('lock' as const),
      l: fc.integer({ min: 0, max: 1 }),
      body: fc.array(fc.record({ k: fc.constant('lock' as const), l: fc.integer({ min: 0, max: 1 }), body: fc.array(leaf, { maxLength: 1 }) }), { maxLength: 1 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('try' as const), l: fc.integer({ min: 0, max: 1 }), body: fc.array(leaf, { maxLength: 1 }) }) },
  );
}
const op = opOf(leaf);
/** With publications too. */
const symOp = opOf(fc.oneof(leaf, fc.record({ k: fc.constant('pub' as const), x: fc.integer({ min: 0, max: 1 }) })));
/** Visible operations of a thread (an upper bound: a trylock may fail). */
function size(ops: Op[]): number {
  return ops.reduce(
    (n, o) =>
      n +
      (o.k === 'p'
        ? 0
        : o.k === 'spawn'
          ? size(o.body)
          : o.k === 'lock' || o.k === 'try' || o.k === 'ref'
            ? 2 + size(o.body)
            : o.k === 'ds'
              ? 5 // lock, a read per device (up to three), unlock
              : o.k === 'df' || (o.k === 'dw' && o.locked)
                ? 3
                : 1),
    0,
  );
}
// Small enough for plain DFS (the oracle) to enumerate every interleaving quickly.
const small = (ts: Op[][]): boolean => ts.reduce((n, t) => n + size(t), 0) <= (ts.length === 2 ? 14 : 11);
export const programArb = fc.array(fc.array(op, { minLength: 1, maxLength: 3 }), { minLength: 2, maxLength: 3 }).filter(small);

/**
 * Programs whose threads may spawn children part-way: a child knows what its
 * parent knew, so a race can lie across a state two orders of the parents
 * reach alike (a cached subtree's access against this path's).
 */
const spawnOp = opOf(fc.oneof({ weight: 4, arbitrary: leaf }, { weight: 1, arbitrary: fc.record({ k: fc.constant('spawn' as const), body: fc.array(leaf, { minLength: 1, maxLength: 2 }) }) }));
export const spawnArb = fc.array(fc.array(spawnOp, { minLength: 1, maxLength: 3 }), { minLength: 2, maxLength: 3 }).filter(small);

/**
 * Programs of reference gets and puts on two counters (starting at 1 and 2),
 * reads of them and plain accesses, beside the usual operations: which puts
 * commute depends on the counts (explore/counters.ts).
 */
const counterLeaf: fc.Arbitrary<Op> = fc.oneof(
  { weight: 2, arbitrary: leaf },
  { weight: 2, arbitrary: fc.record({ k: fc.constant('get' as const), c: fc.integer({ min: 0, max: 1 }) }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant('put' as const), c: fc.integer({ min: 0, max: 1 }) }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('cr' as const), c: fc.integer({ min: 0, max: 1 }) }) },
);
const counterOpArb = fc.oneof(
  { weight: 3, arbitrary: opOf(counterLeaf) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant('ref' as const), c: fc.integer({ min: 0, max: 1 }), body: fc.array(counterLeaf, { maxLength: 2 }) }) },
);
export const counterArb = fc.array(fc.array(counterOpArb, { minLength: 1, maxLength: 3 }), { minLength: 2, maxLength: 3 }).filter(small);

/**
 * Programs over devices (device symmetry): each thread has a device of its
 * own in an order-insensitive list; threads write their device and search
 * the list, beside the usual operations.
 */
const deviceLeaf: fc.Arbitrary<Op> = fc.oneof(
  { weight: 2, arbitrary: leaf },
  { weight: 2, arbitrary: fc.record({ k: fc.constant('dw' as const), v: fc.integer({ min: 0, max: 2 }), locked: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant('ds' as const), v: fc.integer({ min: 0, max: 2 }) }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('df' as const), v: fc.integer({ min: 1, max: 2 }) }) },
);
export const deviceArb = fc
  .record({
    shared: fc.array(opOf(deviceLeaf), { minLength: 1, maxLength: 3 }),
    copies: fc.integer({ min: 2, max: 3 }),
    other: fc.option(fc.array(opOf(deviceLeaf), { minLength: 1, maxLength: 2 }), { nil: undefined }),
  })
  .map(({ shared, copies, other }) => ({ copies, threads: [...Array.from({ length: copies }, () => shared), ...(other === undefined ? [] : [other])] }))
  .filter(({ threads }) => small(threads));

/** Programs whose first two or three threads run one program (interchangeable threads), maybe beside another. */
export const symmetricArb = fc
  .record({
    shared: fc.array(symOp, { minLength: 1, maxLength: 3 }),
    copies: fc.integer({ min: 2, max: 3 }),
    other: fc.option(fc.array(symOp, { minLength: 1, maxLength: 2 }), { nil: undefined }),
  })
  .map(({ shared, copies, other }) => ({ copies, threads: [...Array.from({ length: copies }, () => shared), ...(other === undefined ? [] : [other])] }))
  .filter(({ threads }) => small(threads));

export interface World {
  cells: (Tracked & { v: CellValue })[];
  counters: Counter[];
  locks: Lock[];
  logs: string[][];
  /** Spawned children's logs, by name. */
  children: [string, string[]][];
  exec: Execution;
  /** Fields only plain accesses touch. */
  plain: Tracked & Record<'f0' | 'f1', number>;
  /** Thread i's device ("dev<i>", its objects named "(dev<i>)/n"), all in one order-insensitive list. */
  devs: (Tracked & { name: string; v: number })[];
}

function* run(ops: Op[], w: World, log: string[]): Gen {
  for (const o of ops) {
    if (o.k === 'p') {
      // Named by thread and position, so that each pair of racing accesses has its own signature (the thread
      // as a stable id's head: a symmetry renames it).
      const t = w.exec.current!;
      t.frames.push(`${t.name}/${log.length}/${o.write ? 'w' : 'r'}`);
      const field = o.f === 0 ? 'f0' : 'f1';
      if (o.write) w.plain[field] = log.length + 1;
      else log.push(`p${o.f}=${w.plain[field]}`);
      t.frames.pop();
    } else if (o.k === 'r') {
      const cell = w.cells[o.x]!;
      const v = yield* atomic(cell, 'read', 'r', () => cell.v);
      // A finding in the middle of an execution: what the thread read, where.
      if (v === 2) w.exec.warn(`${w.exec.current?.name ?? '?'} read 2 from cell ${o.x} after ${log.length} reads`);
      log.push(`r${o.x}=${show(v)}`);
    } else if (o.k === 'mv') {
      const [from, to] = [w.cells[o.x]!, w.cells[1 - o.x]!];
      log.push(
        `mv${o.x}=${show(
          yield* atomicMany([{ obj: from, access: 'read' }, { obj: to, access: 'write' }], 'mv', () => {
            to.v = typeof from.v === 'number' ? from.v + 10 : from.v;
            return from.v;
          }),
        )}`,
      );
    } else if (o.k === 'w') {
      const cell = w.cells[o.x]!;
      yield* atomic(cell, 'write', 'w', () => {
        // What a write overwrites is nobody's observation: a finding that only the path shows (like a use after free).
        if (cell.v === 2 && o.v !== 2) w.exec.warn(`${w.exec.current?.name ?? '?'} overwrote 2 in cell ${o.x}`);
        cell.v = o.v;
      });
    } else if (o.k === 'pub') {
      const node = w.exec.alloc('node', { by: w.exec.current?.name ?? '?' }, false);
      const cell = w.cells[o.x]!;
      yield* atomic(cell, 'write', 'pub', () => {
        cell.v = node;
      });
    } else if (o.k === 'spawn') {
      const name = `${w.exec.current?.name ?? '?'}.${log.length}`;
      const childLog: string[] = [];
      w.children.push([name, childLog]);
      w.exec.spawn(name, 'p', () => run(o.body, w, childLog));
      log.push(`spawn ${name}`);
    } else if (o.k === 'get' || o.k === 'put' || o.k === 'cr' || o.k === 'ref') {
      const c = w.counters[o.c]!;
      if (o.k === 'get' || o.k === 'ref') log.push(`get${o.c}=${yield* get(c)}`);
      if (o.k === 'ref') yield* run(o.body, w, log);
      if (o.k === 'put' || o.k === 'ref') log.push(`put${o.c}=${yield* put(c)}`);
      if (o.k === 'cr') log.push(`cr${o.c}=${yield* counterOp(c, 'read', (v) => ({ value: v, result: v }))}`);
    } else if (o.k === 'dw') {
      const dev = w.devs[Number(w.exec.current!.name.slice(1))]!;
      if (o.locked) yield* acquire(w.locks[0]!);
      yield* atomic(dev, 'write', 'dw', () => {
        dev.v = o.v;
      });
      if (o.locked) yield* release(w.locks[0]!);
    } else if (o.k === 'ds') {
      yield* acquire(w.locks[0]!);
      const found = yield* w.exec.exists(w.devs, function* (d) {
        return yield* atomic(d, 'read', 'ds', () => (o.v === 0 ? d.v !== 0 : d.v === o.v));
      });
      log.push(`ds${o.v}=${found}`);
      yield* release(w.locks[0]!);
    } else if (o.k === 'df') {
      yield* acquire(w.locks[0]!);
      const found = w.exec.find(w.devs, (d) => d.v === o.v);
      log.push(`df${o.v}=${found === null ? '-' : found.name}`);
      yield* release(w.locks[0]!);
    } else if (o.k === 'lock') {
      yield* acquire(w.locks[o.l]!);
      yield* run(o.body, w, log);
      yield* release(w.locks[o.l]!);
    } else {
      const got = yield* tryAcquire(w.locks[o.l]!);
      log.push(`try${o.l}=${got}`);
      if (got) {
        yield* run(o.body, w, log);
        yield* release(w.locks[o.l]!);
      }
    }
  }
}

const BELOW = 1_000_000;

/** inc_not_zero with its blind range declared (as the kernel model's refcount_t). */
function* get(c: Counter): Gen<boolean> {
  return yield* counterOp(c, 'inc_not_zero', (v) => (v === 0 ? { value: 0, result: false } : { value: v + 1, result: true }), {
    delta: 1,
    from: 1,
    below: BELOW,
    result: true,
    order: 'relaxed',
  });
}

/** dec_and_test with its blind range declared; below zero it stays at zero and says so. */
function* put(c: Counter): Gen<boolean | 'under'> {
  return yield* counterOp(c, 'dec_and_test', (v): { value: number; result: boolean | 'under' } => (v <= 0 ? { value: 0, result: 'under' } : { value: v - 1, result: v === 1 }), {
    delta: -1,
    from: 2,
    below: BELOW,
    result: false,
    order: 'release',
  });
}

export function toProgram(threads: Op[][], world: { current: World | null }): Program {
  return {
    start(exec: Execution): void {
      const w: World = {
        cells: [exec.alloc('cell', { v: 0 }, false), exec.alloc('cell', { v: 0 }, false)],
        counters: [exec.newCounter('c0', 1), exec.newCounter('c1', 2)],
        locks: [exec.newLock('L0', 'mutex'), exec.newLock('L1', 'mutex')],
        logs: threads.map(() => []),
        children: [],
        exec,
        plain: exec.alloc('record', { f0: 0, f1: 0 }, false),
        devs: unordered(
          threads.map((_, i) => exec.hostScope(`(dev${i})`, () => exec.alloc('dev', { name: `dev${i}`, v: 0 }, false))),
          'devs',
        ),
      };
      // The list is held by an object, as a kernel list head is: its order is part of the state.
      exec.alloc('devlist', { devs: w.devs }, false);
      world.current = w;
      threads.forEach((ops, i) => exec.spawn(`t${i}`, 'p', () => run(ops, w, w.logs[i]!)));
    },
  };
}

/** Records each finished execution's terminal state. */
class Terminal implements Listener {
  readonly states = new Set<string>();
  event(_ev: RtEvent): void {}
}

/**
 * Explores a random program; its terminal states (status, cells, each thread's
 * log of what it read, blocked threads), the warnings and data races found on
 * the way (findings in the middle of executions; a program with a data race
 * may end in states that only some orders of its plain accesses show, which
 * is why the race is a finding), complete executions, and all
 * executions (sleep-set-blocked ones included).
 */
export function terminals(
  threads: Op[][],
  strategy: Strategy,
): { states: Set<string>; warnings: Set<string>; races: Set<string>; unsound: Set<string>; executions: number; all: number } {
  const world: { current: World | null } = { current: null };
  const term = new Terminal();
  const checker = new DeadlockChecker();
  const wrapped = {
    name: checker.name,
    begin: () => checker.begin(),
    event: () => checker.event(),
    end: (exec: Execution) => {
      const w = world.current!;
      // Cut short at a state explored before: its ends were recorded then.
      if (exec.status === 'cached') return [];
      const blocked = exec.blocked().map((t) => t.name).join(',');
      const children = w.children.map(([n, l]) => `${n}:${l.join(' ')}`).sort();
      term.states.add(`${exec.status}|${w.cells.map((c) => show(c.v)).join(',')}|${w.logs.map((l) => l.join(' ')).join('/')}|${children.join('/')}|${blocked}|${w.counters.map((c) => c.value).join(',')}`);
      return [];
    },
  };
  const r = explore(toProgram(threads, world), { strategy, checkers: [wrapped, new WarningChecker(), new RaceChecker(), new UnorderedChecker()] });
  if (!r.complete) throw new Error('random program: exploration did not complete');
  const warnings = new Set(r.findings.filter((f) => f.kind === 'warning').map((f) => f.signature));
  // A race as "field f, threads a and b": the detector keeps each thread's latest read, so which of a
  // thread's accesses it names depends on the order explored; that the two threads race does not.
  const races = new Set(
    r.findings.filter((f) => f.kind === 'data-race').map((f) => {
      const [, , field, ...sites] = f.signature.split('|');
      return `${field}|${sites.map((x) => x.split('/')[0]).sort().join('|')}`;
    }),
  );
  const unsound = new Set(r.findings.filter((f) => f.kind === 'unsound-reduction').map((f) => f.signature));
  return { states: term.states, warnings, races, unsound, executions: r.executions - r.statuses.pruned - r.statuses.cached, all: r.executions };
}


