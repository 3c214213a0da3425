/**
 * Order-insensitive lists (issue 13, symmetry beyond identical threads): a
 * model may declare that what iterating a list computes does not depend on
 * the list's order — the group's device list searched by name, gvt's vGPU
 * list asked "is another vGPU attached to this VM?". With symmetry, such a
 * list hashes as a multiset (fingerprint.ts), so two states whose lists hold
 * renamed devices in another order are one state.
 *
 * The declaration is a claim about concurrency as much as about the loop: an
 * iteration that another thread can change under it sees a mix of old and
 * new elements, and which mix depends on the order. So it is checked in
 * every execution (Eraser's lockset idea, per declaration): every write to a
 * field the iteration read, by another thread while the iterating thread
 * lives, must hold a lock the iterating thread held throughout the
 * iteration. A write that does not is reported (an `unordered` event, a
 * finding that names the declaration and says the reduction relied on it).
 * Writes before the iterating thread was spawned are ordered before it by
 * the spawn (the runtime's programs spawn their threads from set-up).
 */
import type { Lock } from './lock.js';
import type { ObjMeta } from './object.js';
import type { Gen } from './ops.js';
import type { Thread } from './thread.js';

/** Key of an array's declaration (non-enumerable: the array's contents stay what they were). */
export const UNORDERED: unique symbol = Symbol('rt.unordered');

/** A list's declaration: the name reports give it ("gvt->vgpus"). */
export interface UnorderedDecl {
  readonly name: string;
}

/** Declares `list` order-insensitive under `name`; returns it. */
export function unordered<T>(list: T[], name: string): T[] {
  Object.defineProperty(list, UNORDERED, { value: { name } satisfies UnorderedDecl, enumerable: false });
  return list;
}

/** The declaration of a value, if it is a declared list. */
export function unorderedDecl(v: unknown): UnorderedDecl | undefined {
  return Array.isArray(v) ? (v as { [UNORDERED]?: UnorderedDecl })[UNORDERED] : undefined;
}

/** One write of a tracked object's field by a thread, with the locks it held. */
interface Write {
  readonly thread: Thread;
  readonly step: number;
  readonly locks: readonly Lock[];
}

/** One iteration over a declared list, open or finished. */
interface Iteration {
  readonly decl: UnorderedDecl;
  /** How the list is walked: an `exists` or `find` walk must write nothing. */
  readonly how: 'walk' | 'exists' | 'find';
  readonly thread: Thread;
  readonly locks: readonly Lock[];
  readonly stack: readonly string[];
  /** Fields read while it ran (object id and field). */
  readonly reads: Map<string, { meta: ObjMeta; field: string }>;
}

/** The iteration a violation is about. */
export interface Iterator {
  readonly thread: Thread;
  readonly locks: readonly Lock[];
  readonly stack: readonly string[];
}

/**
 * What the declaration does not allow: a write to a field an iteration read
 * (by another thread without a lock the iteration held, or by a search
 * itself); a `find` that a second element matches; the list changed while
 * it was walked (by whom the runtime cannot see: a plain array).
 */
export type UnorderedViolation = { readonly decl: string; readonly iterator: Iterator } & (
  | { readonly reason: 'write'; readonly writer: Thread; readonly meta: ObjMeta; readonly field: string; readonly writeLocks: readonly Lock[] }
  | { readonly reason: 'second' }
  | { readonly reason: 'changed' }
);

/**
 * Per execution: the iterations over declared lists and the writes to what
 * they read; reports each write that breaks a declaration once.
 */
export class UnorderedTracker {
  private readonly open: Iteration[] = [];
  private readonly done: Iteration[] = [];
  private readonly writes = new Map<string, Write[]>();
  private readonly reported = new Set<string>();

  constructor(
    private readonly now: () => number,
    private readonly report: (v: UnorderedViolation) => void,
  ) {}

  /** `t` starts iterating `list` (declared as `decl`). */
  begin(t: Thread, decl: UnorderedDecl, how: Iteration['how'] = 'walk'): Iteration {
    const it: Iteration = { decl, how, thread: t, locks: t.held.map((h) => h.lock), stack: t.stack(), reads: new Map() };
    this.open.push(it);
    return it;
  }

  /** The iteration is over (`changed`: the list's own elements changed while it ran): judge the writes made so far to what it read. */
  end(it: Iteration, changed: boolean): void {
    const i = this.open.indexOf(it);
    if (i >= 0) this.open.splice(i, 1);
    // Locks the thread let go of during the iteration did not protect it throughout.
    const still = it.locks.filter((l) => it.thread.held.some((h) => h.lock === l));
    const judged: Iteration = { ...it, locks: still };
    this.done.push(judged);
    if (changed) this.once(`${it.decl.name}|changed`, { decl: it.decl.name, iterator: judged, reason: 'changed' });
    for (const [key, r] of judged.reads) for (const w of this.writes.get(key) ?? []) this.judge(judged, w, r.meta, r.field);
  }

  /** A field read by `t` (every read: plain, or inside an atomic action). */
  read(t: Thread, meta: ObjMeta, field: string): void {
    for (const it of this.open) if (it.thread === t) it.reads.set(`${meta.id}.${field}`, { meta, field });
  }

  /** A field written by `t`. */
  write(t: Thread, meta: ObjMeta, field: string): void {
    const key = `${meta.id}.${field}`;
    const w: Write = { thread: t, step: this.now(), locks: t.held.map((h) => h.lock) };
    let ws = this.writes.get(key);
    if (ws === undefined) this.writes.set(key, (ws = []));
    ws.push(w);
    for (const it of this.done) if (it.reads.has(key)) this.judge(it, w, meta, field);
    // A search that writes may leave another mark on the list for another order.
    for (const it of this.open) if (it.thread === t && it.how !== 'walk') this.once(`${it.decl.name}|write|${meta.sid}.${field}`, { decl: it.decl.name, iterator: it, reason: 'write', writer: t, meta, field, writeLocks: w.locks });
  }

  /** `find` met a second element its key holds of: which one it returns depends on the order. */
  second(t: Thread, decl: UnorderedDecl): void {
    this.once(`${decl.name}|second`, { decl: decl.name, iterator: { thread: t, locks: t.held.map((h) => h.lock), stack: t.stack() }, reason: 'second' });
  }

  private once(sig: string, v: UnorderedViolation): void {
    if (this.reported.has(sig)) return;
    this.reported.add(sig);
    this.report(v);
  }

  private judge(it: Iteration, w: Write, meta: ObjMeta, field: string): void {
    if (w.thread === it.thread || w.step < it.thread.born) return;
    if (w.locks.some((l) => it.locks.includes(l))) return;
    this.once(`${it.decl.name}|${meta.sid}.${field}|${w.thread.name}`, { decl: it.decl.name, iterator: it, reason: 'write', writer: w.thread, meta, field, writeLocks: w.locks });
  }
}

/** The iterable `Execution.iterate` returns: the list's elements, with the iteration open while they are walked. */
export function* tracked<T>(tracker: UnorderedTracker, t: Thread | null, list: readonly T[], how: 'walk' | 'exists' | 'find' = 'walk'): Generator<T> {
  const decl = unorderedDecl(list);
  if (t === null || decl === undefined) {
    yield* list;
    return;
  }
  const it = tracker.begin(t, decl, how);
  // The list is a plain array, changed in place: only a comparison shows a change made while the iteration ran.
  const before = list.slice();
  try {
    yield* list;
  } finally {
    tracker.end(it, before.length !== list.length || before.some((x, i) => x !== list[i]));
  }
}

/** What a search needs of its execution (Execution.searching). */
export interface SearchHost {
  iterate<T>(list: readonly T[], how: 'walk' | 'exists' | 'find'): Iterable<T>;
  /** The search is over: with device symmetry, the thread remembers `result` instead of what it saw on the way. */
  summarise(result: unknown): void;
  /** Runs `body` with its accesses unseen by checkers and observations. */
  quietly<R>(body: () => R): R;
  /** Reports a second match of a `find` (null: the list is not checked). */
  readonly second: (() => void) | null;
}

/** Execution.exists. */
export function* exists<T>(h: SearchHost, list: readonly T[], pred: (x: T) => Gen<boolean>): Gen<boolean> {
  let found = false;
  for (const x of h.iterate(list, 'exists')) {
    if (yield* pred(x)) {
      found = true;
      break;
    }
  }
  h.summarise(found);
  return found;
}

/** Execution.find (`unique`) and Execution.some. */
export function lookup<T>(h: SearchHost, list: readonly T[], key: (x: T) => boolean, unique: boolean): T | null {
  let found: T | null = null;
  const it = h.iterate(list, unique ? 'find' : 'exists')[Symbol.iterator]();
  for (let r = it.next(); r.done !== true; r = it.next()) {
    if (!key(r.value)) continue;
    found = r.value;
    break;
  }
  const second = h.second;
  if (unique && found !== null && second !== null) {
    const first = found;
    if (h.quietly(() => list.some((x) => x !== first && key(x)))) second();
  }
  // Closes the walk (a `for` does it on break).
  it.return?.();
  h.summarise(unique ? found : found !== null);
  return found;
}
