/**
 * Data races across a cached state, without a state key (races.ts owns the
 * checker; this file owns its subtree summaries). A race is a property of the
 * whole execution: an access on the path to a state s and an access in the
 * subtree below s that no happens-before order separates. Whether the later
 * one is ordered after the earlier depends on two things only: what the path
 * made each thread and each synchronisation object at s know (the clocks the
 * checker holds at s), and which of those the later access learns from on
 * its way from s — its *sources* at s, a property of the subtree alone. So a
 * summary lists, for every plain access and free below s: who made it, of
 * which field of which object, from where, and its sources at s, all by names
 * that hold across interleavings (thread names, stable ids). Two paths that
 * reach s share its summary; each judges it against its own clocks.
 *
 * Sources are computed per stretch of steps and lifted across them: a step
 * that synchronises thread t with object o makes t (after it) learn from t
 * and o (before it) unless it only publishes (a release), and if it
 * publishes, o from the same; a thread spawned
 * in the step learns from its parent. An access's sources at the state
 * before its stretch are its thread's at that point of the stretch.
 *
 * Of two entries for one access, the one with fewer sources (a subset) knows
 * less, so it races wherever the other does, and lifting and renaming keep
 * that order: a summary keeps, per access, only its minimal source sets.
 *
 * Generic: threads, objects, fields and synchronisation, nothing of a model.
 */
import { Interner } from '../explore/intern.js';
import type { SubtreeSummaries } from './checker.js';

/** How a step synchronises a thread with an object: learns from it, publishes to it, or both. */
export type SyncMode = 'acquire' | 'release' | 'full';

/** What one step did, as the race checker saw it, in order. Threads by id; objects by execution id. */
export type StepAction =
  | { readonly k: 'sync'; readonly t: number; readonly o: number; readonly mode: SyncMode }
  | { readonly k: 'spawn'; readonly t: number; readonly parent: number }
  | {
      readonly k: 'access';
      readonly t: number;
      readonly o: number;
      readonly field: string;
      /** A free is a write of every field. */
      readonly kind: 'read' | 'write' | 'free';
      /** The accessing code (races.ts's `top` of its stack): part of a race's signature. */
      readonly top: string;
    };

/** An access below a state, by names that hold across interleavings. */
export interface AccessName {
  readonly thread: string;
  readonly sid: string;
  readonly field: string;
  readonly kind: 'read' | 'write' | 'free';
  readonly top: string;
}

/** Sources at a state: the threads and objects (stable ids) whose knowledge there reaches an access. */
export interface Sources {
  readonly threads: readonly string[];
  readonly objects: readonly string[];
}

/** What the summaries need from the checker that owns them. */
export interface RaceHost {
  /** The actions of step `step` of the current execution (of the one just run, while the next has not begun). */
  actions(step: number): readonly StepAction[];
  threadName(tid: number): string;
  /** An object's stable id, by execution id. */
  sid(obj: number): string;
  /** Whether access `a`, with sources `src` at the current state, races with an access of this path in a way not reported yet. */
  unreported(a: AccessName, src: Sources): boolean;
}

/**
 * A summary: on a path, per access its minimal source sets (an antichain,
 * by interned ids); once kept, frozen as (access, set) pairs.
 */
export class RaceSummary {
  constructor(
    readonly live: Map<number, number[]> | null,
    readonly frozen: Int32Array | null,
  ) {}

  /** Each (access, source set) pair. */
  *pairs(): Generator<[number, number]> {
    if (this.frozen !== null) for (let i = 0; i < this.frozen.length; i += 2) yield [this.frozen[i] as number, this.frozen[i + 1] as number];
    else for (const [a, sets] of this.live ?? []) for (const s of sets) yield [a, s];
  }
}

/** A source while a stretch is read: a thread id, or an object as -(id + 1). */
type Src = number;
const objSrc = (o: number): Src => -(o + 1);

/** Who, before a stretch, each source after it learns from (sources it leaves alone are absent). */
type Transfer = Map<Src, ReadonlySet<Src>>;

export class RaceSummaries implements SubtreeSummaries<RaceSummary> {
  private readonly accesses = new Interner<AccessName>();
  /** Source names: `t<thread>` or `o<sid>`, interned. */
  private readonly srcNames = new Interner<string>();
  /** Source sets: sorted source ids, interned; and as names, decoded when first asked. */
  private readonly sets = new Interner<Int32Array>();
  private readonly decoded: Sources[] = [];
  /** Per transfer (by its key), each set's lifted set, as far as met. */
  private readonly lifted = new Map<string, Map<number, number>>();
  /** Per renaming, each access's and each set's renamed id, as far as met. */
  private readonly renamed = new Map<string, { accesses: Map<number, number>; sets: Map<number, number> }>();

  constructor(private readonly host: RaceHost) {}

  /** Distinct (access, minimal source set) entries are at most accesses × sets: their sizes, for benchmarks. */
  get size(): { accesses: number; sets: number } {
    return { accesses: this.accesses.size, sets: this.sets.size };
  }

  empty(): RaceSummary {
    return new RaceSummary(new Map(), null);
  }

  copy(s: RaceSummary): RaceSummary {
    const out = this.empty();
    for (const [a, set] of s.pairs()) this.insert(out, a, set);
    return out;
  }

  keep(s: RaceSummary): RaceSummary {
    if (s.frozen !== null) return s;
    const out: number[] = [];
    for (const [a, set] of s.pairs()) out.push(a, set);
    return new RaceSummary(null, Int32Array.from(out));
  }

  lift(from: number, to: number, below: RaceSummary | null, into: RaceSummary): void {
    // The stretch's accesses, with their sources before it; then how it maps sources after it to sources before it.
    const cur: Transfer = new Map();
    const get = (x: Src): ReadonlySet<Src> => cur.get(x) ?? new Set([x]);
    for (let step = from; step < to; step++) {
      for (const a of this.host.actions(step)) {
        if (a.k === 'access') this.insert(into, this.accessId({ thread: this.host.threadName(a.t), sid: this.host.sid(a.o), field: a.field, kind: a.kind, top: a.top }), this.setOf(get(a.t)));
        else if (a.k === 'spawn') cur.set(a.t, get(a.parent));
        else {
          const o = objSrc(a.o);
          const both = new Set([...get(a.t), ...get(o)]);
          if (a.mode !== 'release') cur.set(a.t, both);
          if (a.mode !== 'acquire') cur.set(o, both);
        }
      }
    }
    if (below === null) return;
    // The transfer by source ids: only sources whose knowledge the stretch changed.
    const map = new Map<number, Int32Array>();
    for (const [x, from] of cur) map.set(this.srcId(x), this.sets.at(this.setOf(from)));
    if (map.size === 0) {
      for (const [a, set] of below.pairs()) this.insert(into, a, set);
      return;
    }
    const key = [...map].map(([x, f]) => `${x}<${f.join(',')}`).sort().join(';');
    let memo = this.lifted.get(key);
    if (memo === undefined) {
      memo = new Map();
      this.lifted.set(key, memo);
    }
    for (const [a, set] of below.pairs()) {
      let to = memo.get(set);
      if (to === undefined) {
        const out = new Set<number>();
        for (const x of this.sets.at(set)) for (const y of map.get(x) ?? [x]) out.add(y);
        to = this.intern([...out]);
        memo.set(set, to);
      }
      this.insert(into, a, to);
    }
  }

  revisit(summary: RaceSummary): boolean {
    for (const [a, set] of summary.pairs()) if (this.host.unreported(this.accesses.at(a), this.sources(set))) return true;
    return false;
  }

  rename(summary: RaceSummary, rename: (name: string) => string, key: string): RaceSummary {
    let memo = this.renamed.get(key);
    if (memo === undefined) {
      memo = { accesses: new Map(), sets: new Map() };
      this.renamed.set(key, memo);
    }
    const out: number[] = [];
    for (const [a, set] of summary.pairs()) {
      let ra = memo.accesses.get(a);
      if (ra === undefined) {
        const x = this.accesses.at(a);
        ra = this.accessId({ ...x, thread: rename(x.thread), sid: rename(x.sid) });
        memo.accesses.set(a, ra);
      }
      let rs = memo.sets.get(set);
      if (rs === undefined) {
        rs = this.intern(
          [...this.sets.at(set)].map((x) => {
            const n = this.srcNames.at(x);
            return this.nameId(`${n[0] as string}${rename(n.slice(1))}`);
          }),
        );
        memo.sets.set(set, rs);
      }
      out.push(ra, rs);
    }
    return new RaceSummary(null, Int32Array.from(out));
  }

  /** Adds (access, set) to a live summary unless a subset of `set` is there for it; drops its supersets. */
  private insert(into: RaceSummary, access: number, set: number): void {
    const live = into.live;
    if (live === null) throw new Error('internal: a kept race summary does not grow');
    const list = live.get(access);
    if (list === undefined) {
      live.set(access, [set]);
      return;
    }
    const mine = this.sets.at(set);
    for (const s of list) if (s === set || subset(this.sets.at(s), mine)) return;
    const kept = list.filter((s) => !subset(mine, this.sets.at(s)));
    kept.push(set);
    live.set(access, kept);
  }

  private sources(set: number): Sources {
    let d = this.decoded[set];
    if (d === undefined) {
      const threads: string[] = [];
      const objects: string[] = [];
      for (const x of this.sets.at(set)) {
        const n = this.srcNames.at(x);
        (n[0] === 't' ? threads : objects).push(n.slice(1));
      }
      d = { threads, objects };
      this.decoded[set] = d;
    }
    return d;
  }

  private srcId(x: Src): number {
    return this.nameId(x >= 0 ? `t${this.host.threadName(x)}` : `o${this.host.sid(-x - 1)}`);
  }

  private nameId(name: string): number {
    return this.srcNames.id(name, () => name);
  }

  private setOf(srcs: ReadonlySet<Src>): number {
    return this.intern([...srcs].map((x) => this.srcId(x)));
  }

  /** The id of a set of source ids (any order, no repeats). */
  private intern(ids: number[]): number {
    ids.sort((a, b) => a - b);
    return this.sets.id(ids.join(','), () => Int32Array.from(ids));
  }

  private accessId(a: AccessName): number {
    return this.accesses.id(`${a.thread}\u0000${a.sid}\u0000${a.field}\u0000${a.kind}\u0000${a.top}`, () => a);
  }
}

/** Whether sorted `a` is a subset of sorted `b`. */
function subset(a: Int32Array, b: Int32Array): boolean {
  if (a.length > b.length) return false;
  let j = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as number;
    while (j < b.length && (b[j] as number) < x) j++;
    if (j === b.length || b[j] !== x) return false;
    j++;
  }
  return true;
}
