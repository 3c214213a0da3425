/**
 * The objects of one execution: their metadata and stable ids, the proxies
 * through which the model reaches what it allocates, and the store's
 * incremental hash. The proxies are where plain accesses become events: a
 * field read or written after a free (use after free, however the access is
 * made), a plain access (for the data-race checker), what the running thread
 * reads (its observations, for state fingerprints) and which objects may have
 * changed (for the store's hash).
 */
import { Counter } from './counter.js';
import type { RtEvent } from './events.js';
import { Lock, type LockKind } from './lock.js';
import { META, type Access, type ObjMeta, type Tracked } from './object.js';
import type { Symmetry } from './symmetry.js';
import { StoreHash } from './storehash.js';
import type { UnorderedTracker } from './unordered.js';
import type { Thread } from './thread.js';

/** What the heap needs of its execution. */
export interface HeapOwner {
  /** The thread whose code is running (null while the program's start hook runs). */
  readonly current: Thread | null;
  readonly steps: number;
  emit(ev: RtEvent): void;
}

export interface HeapOptions {
  /** Emit a 'plain' event for every field access of a tracked object. */
  readonly plainAccesses: boolean;
  /** Track what threads observe and hash the store (state caching). */
  readonly fingerprints: boolean;
  /** Interchangeable threads: objects that name them are hashed relative to them (symmetry.ts). */
  readonly symmetry?: Symmetry | null;
  /** Order-insensitive lists' check (unordered.ts): it sees every field read and write by a thread. */
  readonly unordered?: UnorderedTracker | null;
}

export class Heap {
  /** Every object allocated or declared, in order (index: ObjMeta.id). */
  readonly objects: ObjMeta[] = [];
  /** Every object whose contents make up the state (allocated objects' targets, locks, counters), hashed as it changes. */
  readonly store: StoreHash | null;
  /** Set while an atomic operation runs: its accesses are marked ones, neither plain nor observed field by field. */
  inAtomic = false;
  private readonly perKind = new Map<string, number>();
  private hostAllocated = 0;
  /** Execution.hostScope: the owner host allocations are named after, and each owner's count. */
  private scope: string | null = null;
  private readonly scoped = new Map<string, number>();
  private readonly handler: ProxyHandler<Record<PropertyKey, unknown> & Tracked>;

  constructor(
    private readonly owner: HeapOwner,
    opts: HeapOptions,
  ) {
    // One proxy handler per execution: every plain field access of a freed
    // object is reported, which is what makes "plain accesses run atomically"
    // still catch use after free.
    const plain = opts.plainAccesses;
    const fingerprints = opts.fingerprints;
    const store = fingerprints ? new StoreHash(opts.symmetry ?? null) : null;
    const unordered = opts.unordered ?? null;
    this.store = store;
    this.handler = {
      get: (target, prop) => {
        const meta = target[META];
        const value = target[prop];
        if (prop !== META) {
          if (meta.freed) this.accessFreed(meta, prop, 'read');
          if (plain) this.plain(meta, prop, 'read');
          // What a thread reads between visible operations is part of what it observed.
          const t = owner.current;
          if (unordered !== null && t !== null && typeof prop === 'string') unordered.read(t, meta, prop);
          if (fingerprints && t !== null && !this.inAtomic && typeof prop === 'string') t.obs.name(meta.sid).str(prop).value(value, 1);
          // A container read may be changed in place before the step ends. A reference to a tracked
          // object is no container: that object reports its own changes.
          if (store !== null && typeof value === 'object' && value !== null && (value as Partial<Tracked>)[META] === undefined) store.touch(target);
        }
        return value;
      },
      set: (target, prop, value) => {
        const meta = target[META];
        if (meta.freed) this.accessFreed(meta, prop, 'write');
        if (plain) this.plain(meta, prop, 'write');
        const t = owner.current;
        if (unordered !== null && t !== null && typeof prop === 'string') unordered.write(t, meta, prop);
        target[prop] = value;
        store?.touch(target);
        return true;
      },
    };
  }

  /** Creates the metadata record of a new object; its stable id is its allocating thread and that thread's count. */
  newMeta(kind: string, owned: boolean): ObjMeta {
    const n = (this.perKind.get(kind) ?? 0) + 1;
    this.perKind.set(kind, n);
    const t = this.owner.current;
    const sid = t !== null ? `${t.name}/${++t.allocated}` : this.scope === null ? `(host)/${++this.hostAllocated}` : this.scopedSid(this.scope);
    const meta: ObjMeta = {
      id: this.objects.length,
      kind,
      label: `${kind} #${n}`,
      sid,
      freed: false,
      owned,
      allocStack: t ? t.stack() : [],
      freeStack: null,
      allocThread: t ? t.name : '(host)',
      freeThread: null,
    };
    this.objects.push(meta);
    return meta;
  }

  private scopedSid(owner: string): string {
    const n = (this.scoped.get(owner) ?? 0) + 1;
    this.scoped.set(owner, n);
    return `${owner}/${n}`;
  }

  /** See Execution.hostScope. */
  hostScope<R>(owner: string, body: () => R): R {
    if (this.owner.current !== null) throw new Error('hostScope is for host set-up, before any thread runs');
    const outer = this.scope;
    this.scope = owner;
    try {
      return body();
    } finally {
      this.scope = outer;
    }
  }

  /** Runs `body` with its field accesses unseen: no plain access, no observation (as inside an atomic action). */
  quietly<R>(body: () => R): R {
    const outer = this.inAtomic;
    this.inAtomic = true;
    try {
      return body();
    } finally {
      this.inAtomic = outer;
    }
  }

  /** See Execution.alloc. */
  alloc<T extends object>(kind: string, fields: T, owned: boolean): T & Tracked {
    const meta = this.newMeta(kind, owned);
    const target = fields as T & { [META]: ObjMeta };
    Object.defineProperty(target, META, { value: meta, enumerable: false });
    // Locks embedded in the object belong to it (what teardown analysis needs).
    for (const v of Object.values(fields)) if (v instanceof Lock && v.container === null) v.container = meta;
    this.owner.emit({ kind: 'alloc', step: this.owner.steps, thread: this.owner.current, meta });
    this.store?.add(target);
    const proxied: unknown = new Proxy(target, this.handler);
    return proxied as T & Tracked;
  }

  newLock(cls: string, kind: LockKind): Lock {
    const l = new Lock(this.newMeta(`lock ${cls}`, false), cls, kind);
    this.store?.add(l);
    return l;
  }

  newCounter(name: string, initial: number): Counter {
    const c = new Counter(this.newMeta(`counter ${name}`, false), name, initial);
    const store = this.store;
    if (store !== null) {
      store.add(c);
      c.onChange = (x) => store.touch(x);
    }
    return c;
  }

  /** Reports an access of a freed object by the running thread. */
  accessFreed(meta: ObjMeta, prop: PropertyKey, access: Access): void {
    const t = this.owner.current;
    if (t === null) return;
    this.owner.emit({
      kind: 'access-freed',
      step: this.owner.steps,
      thread: t,
      meta,
      field: String(prop),
      access,
      stack: t.stack(),
    });
  }

  private plain(meta: ObjMeta, prop: PropertyKey, access: Access): void {
    const t = this.owner.current;
    if (t === null || this.inAtomic || typeof prop === 'symbol') return;
    this.owner.emit({ kind: 'plain', step: this.owner.steps, thread: t, meta, field: String(prop), access });
  }
}
