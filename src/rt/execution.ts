import { blindOrder, type Counter } from './counter.js';
import type { Listener, RtEvent } from './events.js';
import type { Lock, LockKind } from './lock.js';
import { META, type ObjMeta, type Tracked } from './object.js';
import type { Gen, Visible } from './ops.js';
import type { FingerprintPart } from './fingerprint.js';
import { Heap } from './heap.js';
import { StateNames } from './statenames.js';
import type { Perm, Symmetry } from './symmetry.js';
import { Thread } from './thread.js';
import { exists, lookup, tracked, unorderedDecl, UnorderedTracker, type SearchHost } from './unordered.js';

/**
 * How an execution ended. `pruned`: every continuation is covered by an
 * execution explored elsewhere (sleep sets), nothing in it is new. `cached`:
 * it reached a state already explored from, so it stops there — what it did
 * on the way is new and is judged.
 */
export type ExecStatus = 'running' | 'done' | 'deadlock' | 'step-limit' | 'crashed' | 'pruned' | 'cached';

/** A generic program: whatever populates a fresh execution with objects and threads. */
export interface Program {
  /** Creates the fixtures and spawns the initial threads of one execution. */
  start(exec: Execution): void;
}

export interface ExecutionOptions {
  /** Runaway guard: visible operations after which the execution stops. */
  readonly maxSteps: number;
  readonly listeners: readonly Listener[];
  /** Emit a 'plain' event for every field access of a tracked object (data-race detection; costs time). */
  readonly plainAccesses?: boolean;
  /** Track what each thread observes, so that {@link Execution.fingerprint} can name the state (state caching). */
  readonly fingerprints?: boolean;
  /**
   * What else the future of this execution depends on beyond its state (a
   * listener that judges the order of the past, like a data-race detector):
   * each adds its part to the fingerprint.
   */
  readonly fingerprintParts?: readonly FingerprintPart[];
  /**
   * Interchangeable threads (symmetry.ts): fingerprints name the canonical
   * image of a state, and {@link Execution.renaming} says how this state maps to it.
   */
  readonly symmetry?: Symmetry | null;
  /**
   * Check the model's order-insensitive lists (unordered.ts) in every
   * execution: what symmetry that renames devices relies on (the default:
   * on with such a symmetry). Each write that breaks a declaration is an
   * `unordered` event.
   */
  readonly checkUnordered?: boolean;
}

/** What went wrong when the model itself threw (a model bug or a BUG()). */
export interface Crash {
  readonly thread: string;
  readonly message: string;
  readonly stack: readonly string[];
}

/**
 * One execution of a program: its threads, its objects and the visible
 * operations performed so far. The explorer chooses which enabled thread steps
 * next; the execution performs that thread's pending operation, resumes it up
 * to its next visible operation and reports events to its listeners.
 *
 * Nothing here reads a clock or a random source: the same choices always give
 * the same execution.
 */
export class Execution {
  readonly threads: Thread[] = [];
  status: ExecStatus = 'running';
  crash: Crash | null = null;
  /** Visible operations performed so far. */
  steps = 0;
  /** The thread whose code is running (or last ran). */
  current: Thread | null = null;

  private readonly opts: ExecutionOptions;
  private readonly fresh: Thread[] = [];
  private readonly heap: Heap;
  /** With checkUnordered: the iterations over declared lists and the writes they are judged against. */
  private readonly unordered: UnorderedTracker | null;
  /** With fingerprints: what names this execution's states (null without). */
  private readonly names: StateNames | null;

  constructor(opts: ExecutionOptions) {
    this.opts = opts;
    const fingerprints = opts.fingerprints === true;
    const symmetry = fingerprints ? (opts.symmetry ?? null) : null;
    // Device symmetry relies on the declarations: with it, they are checked.
    const unordered = (opts.checkUnordered ?? symmetry?.hasAliases === true) ? new UnorderedTracker(() => this.steps, (v) => this.emit({ kind: 'unordered', step: this.steps, thread: v.reason === 'write' ? v.writer : v.iterator.thread, violation: v })) : null;
    this.unordered = unordered;
    this.heap = new Heap(this, { plainAccesses: opts.plainAccesses === true, fingerprints, symmetry, unordered });
    const store = this.heap.store;
    this.names = store === null ? null : new StateNames(store, symmetry, opts.fingerprintParts ?? []);
  }

  // ---- objects -------------------------------------------------------------

  /** Every object allocated or declared, in order (index: ObjMeta.id). */
  get objects(): ObjMeta[] {
    return this.heap.objects;
  }

  /** Creates the metadata record of a new object. */
  newMeta(kind: string, owned: boolean): ObjMeta {
    return this.heap.newMeta(kind, owned);
  }

  /**
   * Allocates a tracked object from its initial fields. The result is a proxy
   * that reports any access once the object is freed. Allocation is not a
   * visible operation: nobody else can reach a new object before it is
   * published through a visible operation or a lock-protected field.
   *
   * @param owned - false for fixtures that exist before the program (never leak)
   */
  alloc<T extends object>(kind: string, fields: T, owned = true): T & Tracked {
    return this.heap.alloc(kind, fields, owned);
  }

  /**
   * Runs `body` (host set-up, before any thread) with what it allocates named
   * after `owner`: stable ids `owner/1`, `owner/2`, … instead of the host's
   * running count. The model names a host device's objects after the device,
   * so that identical devices' objects correspond one to one (device
   * symmetry renames `gvt0/n` to `gvt1/n`), whatever else the host allocated
   * between them.
   */
  hostScope<R>(owner: string, body: () => R): R {
    return this.heap.hostScope(owner, body);
  }

  /**
   * The elements of `list` for the running thread to iterate over. Where the
   * list is declared order-insensitive (unordered.ts) and the check is on,
   * what the iteration reads is judged against every write to it.
   */
  iterate<T>(list: readonly T[], how: 'walk' | 'exists' | 'find' = 'walk'): Iterable<T> {
    return this.unordered === null ? list : tracked(this.unordered, this.current, list, how);
  }

  /**
   * Whether `pred` holds of some element of `list` (the kernel's "is there
   * one" loop: walk until one does). `pred` may perform visible operations
   * but write nothing. For a list declared order-insensitive, the answer
   * does not depend on the order, which the check holds the model to (no
   * write by the walker, every other write under a lock it holds:
   * unordered.ts); with device symmetry, what the thread observed on the way
   * is then forgotten and the answer remembered (StateNames.summarise).
   */
  exists<T>(list: readonly T[], pred: (x: T) => Gen<boolean>): Gen<boolean> {
    return exists(this.searching(list), list, pred);
  }

  /**
   * The element of `list` that `key` holds of (the kernel's "find by name"
   * loop), or null; `key` reads plain fields and performs no operation. For
   * a list declared order-insensitive the element must be the only one:
   * with the check on, the rest of the list is looked at too (quietly: no
   * access a checker would see) and a second match breaks the declaration.
   */
  find<T>(list: readonly T[], key: (x: T) => boolean): T | null {
    return lookup(this.searching(list), list, key, true);
  }

  /** Whether `key` holds of some element of `list` (`key` as for find; any number may match). */
  some<T>(list: readonly T[], key: (x: T) => boolean): boolean {
    return lookup(this.searching(list), list, key, false) !== null;
  }

  /** What a search of `list` by the running thread needs of this execution (unordered.ts). */
  private searching(list: readonly unknown[]): SearchHost {
    const t = this.current;
    const decl = unorderedDecl(list);
    const names = this.names;
    const mark = t !== null && names !== null && decl !== undefined ? names.mark(t) : null;
    const tracker = this.unordered;
    return {
      iterate: (l, how) => this.iterate(l, how),
      summarise: (result) => {
        if (t !== null && mark !== null) names?.summarise(t, mark, result);
      },
      quietly: (body) => this.heap.quietly(body),
      second: t === null || tracker === null || decl === undefined ? null : () => tracker.second(t, decl),
    };
  }

  /** Declares a lock of class `cls`. */
  newLock(cls: string, kind: LockKind): Lock {
    return this.heap.newLock(cls, kind);
  }

  /** Declares an atomic counter. */
  newCounter(name: string, initial: number): Counter {
    return this.heap.newCounter(name, initial);
  }

  /**
   * Declares that `t`'s future depends on what it observed so far only
   * through `live`: its history is forgotten, and two states that differ only
   * in it share a fingerprint. The model calls it where it knows the dead
   * from the live (for the kernel model: a system call has returned, every
   * kernel frame of it is gone, and the thread goes on with its next
   * scenario op and its fd variables).
   */
  forget(t: Thread, live: unknown): void {
    if (this.names === null) return;
    this.names.restart(t);
    t.obs.value(live);
  }

  /**
   * The current state, named: every object's contents (references by stable
   * id), every lock's owner and counter's value, and for each thread its
   * status and what it has observed so far. Equal fingerprints mean equal
   * states (up to hash collisions), so exploring from one explores the other.
   * Requires the `fingerprints` option. With symmetry, the fingerprint of the
   * state's canonical image (statenames.ts).
   *
   * What a thread observes is what it reads through a tracked object (a plain
   * container read that way is hashed whole). A thread that keeps a reference
   * to a plain container (an array in a tracked object's field) and reads it
   * again after another thread changed it observes that change unseen: the
   * model's lists are read under the lock that guards them, in the step that
   * fetched them, which this relies on.
   */
  fingerprint(): string {
    if (this.names === null) throw new Error('internal: fingerprint() needs the fingerprints option');
    return this.names.fingerprint(this.threads);
  }

  /**
   * With symmetry: how the last fingerprint renamed this state's roles to
   * reach its canonical image (Symmetry.renamer names the threads), or null.
   */
  get renaming(): Perm | null {
    return this.names?.renaming ?? null;
  }

  /**
   * Whether the store's incremental hash agrees with hashing every object
   * afresh (storehash.ts; for tests: a model that changes an object unseen
   * breaks it).
   */
  storeHashAgrees(): boolean {
    return this.names?.agrees(this.threads) ?? true;
  }

  // ---- threads -------------------------------------------------------------

  /**
   * Creates a thread running `body`. It starts (runs up to its first visible
   * operation) once the current step is over, in spawn order.
   */
  spawn(name: string, group: string, body: (t: Thread) => Gen, data: unknown = null): Thread {
    const t = new Thread(this.threads.length, name, group);
    t.data = data;
    t.exec = this;
    t.parent = this.current;
    t.born = this.steps;
    this.names?.restart(t);
    t.gen = body(t);
    this.threads.push(t);
    this.fresh.push(t);
    return t;
  }

  /** Runs the program's start hook and every thread it spawned up to its first visible operation. */
  start(program: Program): void {
    program.start(this);
    this.startFresh();
    this.settle();
  }

  /** Whether `t` can perform its pending operation now. */
  isEnabled(t: Thread): boolean {
    const op = t.pending;
    if (op === null) return false;
    switch (op.kind) {
      case 'lock':
        return op.lock.owner === null;
      case 'wait':
        return op.ready();
      default:
        return true;
    }
  }

  /** The enabled threads, in spawn order. */
  enabled(): Thread[] {
    const out: Thread[] = [];
    for (const t of this.threads) if (this.isEnabled(t)) out.push(t);
    return out;
  }

  /** Threads still alive whose pending operation cannot run now. */
  blocked(): Thread[] {
    return this.threads.filter((t) => t.state !== 'done' && !this.isEnabled(t));
  }

  /** Performs `t`'s pending visible operation and runs `t` up to its next one. */
  step(t: Thread): void {
    const op = t.pending;
    if (this.status !== 'running' || op === null || !this.isEnabled(t)) {
      throw new Error(`internal: thread ${t.name} is not enabled`);
    }
    this.current = t;
    const step = this.steps++;
    t.steps++;
    const input = this.perform(t, op, step);
    this.resume(t, input);
    this.startFresh();
    this.settle();
  }

  private perform(t: Thread, op: Visible, step: number): unknown {
    switch (op.kind) {
      case 'lock': {
        const stack = t.stack();
        op.lock.owner = t;
        this.heap.store?.touch(op.lock);
        t.held.push({ lock: op.lock, subclass: op.subclass, stack });
        this.emit({ kind: 'acquire', step, thread: t, lock: op.lock, subclass: op.subclass, stack });
        return undefined;
      }
      case 'trylock': {
        if (op.lock.owner !== null) return false;
        const stack = t.stack();
        op.lock.owner = t;
        this.heap.store?.touch(op.lock);
        t.held.push({ lock: op.lock, subclass: 0, stack });
        this.emit({ kind: 'acquire', step, thread: t, lock: op.lock, subclass: 0, stack });
        return true;
      }
      case 'unlock': {
        let i = t.held.length - 1;
        while (i >= 0 && t.held[i]?.lock !== op.lock) i--;
        const held = i >= 0;
        if (held) t.held.splice(i, 1);
        if (op.lock.owner === t) op.lock.owner = null;
        this.heap.store?.touch(op.lock);
        this.emit({ kind: 'release', step, thread: t, lock: op.lock, stack: t.stack(), held });
        return undefined;
      }
      case 'counter': {
        const before = op.counter.value;
        const { value, result, fault } = op.apply(before);
        op.counter.value = value;
        const blind = blindOrder(op, before, value, result, fault);
        this.emit({
          kind: 'counter',
          step,
          thread: t,
          counter: op.counter,
          op: op.op,
          before,
          after: value,
          fault: fault ?? null,
          stack: t.stack(),
          blind,
        });
        return result;
      }
      case 'atomic': {
        const meta = op.obj[META];
        if (meta.freed) this.heap.accessFreed(meta, op.label, op.access);
        for (const o of op.also ?? []) if (o.obj[META].freed) this.heap.accessFreed(o.obj[META], op.label, o.access);
        // A marked access is not a plain one: the proxy reports none while it runs.
        this.heap.inAtomic = true;
        let r: unknown;
        try {
          r = op.apply();
        } finally {
          this.heap.inAtomic = false;
        }
        const objs = [meta, ...(op.also ?? []).map((o) => o.obj[META])];
        const access = [op.access, ...(op.also ?? []).map((o) => o.access)];
        this.emit({ kind: 'atomic', step, thread: t, label: op.label, stack: t.stack(), objs, access });
        return r;
      }
      case 'free': {
        const meta = op.obj[META];
        const double = meta.freed;
        if (!double) {
          meta.freed = true;
          this.heap.store?.touch(op.obj);
          meta.freeStack = t.stack();
          meta.freeThread = t.name;
        }
        this.emit({ kind: 'free', step, thread: t, meta, stack: t.stack(), double });
        return undefined;
      }
      case 'wait':
        return undefined;
    }
  }

  private resume(t: Thread, input: unknown): void {
    const gen = t.gen;
    if (gen === null) return;
    this.current = t;
    if (this.names !== null) t.obs.value(input, 1);
    // Running: the operation it performed is behind it, the next not yet known. What a checker
    // reports of it meanwhile (a use after free in plain code) must not read the last one as a
    // wait (a lock it just took, "blocked on … held by itself").
    t.pending = null;
    try {
      const r = gen.next(input);
      if (r.done === true) {
        t.state = 'done';
        t.pending = null;
        t.gen = null;
        this.emit({ kind: 'thread-exit', step: this.steps, thread: t });
      } else {
        t.pending = r.value;
        const op = r.value;
        if (op.kind === 'lock' || op.kind === 'trylock') {
          this.emit({
            kind: 'attempt',
            step: this.steps,
            thread: t,
            lock: op.lock,
            subclass: op.kind === 'lock' ? op.subclass : 0,
            trylock: op.kind === 'trylock',
            stack: t.stack(),
            held: t.held.slice(),
          });
        }
      }
    } catch (e) {
      this.crash = {
        thread: t.name,
        message: e instanceof Error ? e.message : String(e),
        stack: t.stack(),
      };
      t.state = 'done';
      t.pending = null;
      t.gen = null;
      this.status = 'crashed';
    }
  }

  private startFresh(): void {
    while (this.fresh.length > 0) {
      const t = this.fresh.shift();
      if (t !== undefined) this.resume(t, undefined);
    }
  }

  /**
   * Abandons the execution: the explorer proved every continuation redundant
   * (equivalent to one explored elsewhere).
   */
  prune(why: 'pruned' | 'cached' = 'pruned'): void {
    if (this.status === 'running') this.status = why;
  }

  /** Decides whether the execution has ended, and how. */
  private settle(): void {
    if (this.status !== 'running') return;
    if (this.steps >= this.opts.maxSteps) {
      this.status = 'step-limit';
      return;
    }
    let alive = false;
    for (const t of this.threads) {
      if (t.state === 'done') continue;
      alive = true;
      if (this.isEnabled(t)) return;
    }
    this.status = alive ? 'deadlock' : 'done';
  }

  // ---- reporting -----------------------------------------------------------

  /** Sends an event to every listener. */
  emit(ev: RtEvent): void {
    for (const l of this.opts.listeners) l.event(ev);
  }

  /** Reports a failed model invariant from the running thread (WARN_ON). */
  warn(message: string): void {
    const t = this.current;
    if (t === null) throw new Error(`internal: warning outside a thread: ${message}`);
    this.emit({ kind: 'warn', step: this.steps, thread: t, message, stack: t.stack() });
  }
}
