/**
 * Data races, as KCSAN reports them: two accesses to one field of one object
 * from different threads, at least one a write, that no happens-before order
 * separates, and neither marked (marked accesses are the runtime's atomic
 * operations). Freeing an object counts as a write to all of it. This is
 * what keeps "plain accesses run atomically with the preceding visible
 * operation" honest: the explorer reorders only visible operations, so code
 * whose plain accesses race is reported here instead of silently assumed away.
 *
 * Happens-before comes from the runtime's events: a lock's release orders the
 * next acquire; an atomic update (a counter update, a marked write) on one
 * object is ordered after the updates and before the reads that follow it;
 * atomic reads see what was published and publish nothing, so two reads do
 * not order each other (the explorer does not order them either: a race that
 * needed one read before the other would otherwise be seen in one order and
 * missed in the other); a spawned thread starts from what its parent knew
 * when it was spawned. Generic: objects, fields, threads and clocks.
 *
 * With state caching, a race between this path and a subtree explored from a
 * state met again is found through the subtree's summary (racesummary.ts):
 * the checker adds nothing to a state's fingerprint.
 */
import type { RtEvent } from '../rt/events.js';
import type { Execution } from '../rt/execution.js';
import { META, type Access, type ObjMeta } from '../rt/object.js';
import type { Site, Thread } from '../rt/thread.js';
import type { RawFinding } from '../trace/finding.js';
import type { Checker } from './checker.js';
import { objectInfo, threadInfo, top } from './info.js';
import { RaceSummaries, type AccessName, type RaceHost, type Sources, type StepAction, type SyncMode } from './racesummary.js';

type Clock = number[];

const NO_ACTIONS: readonly StepAction[] = [];

interface Access1 {
  readonly thread: Thread;
  /** The accessing thread's own component at the access. */
  readonly at: number;
  /** 'free': the kfree of the whole object (kept apart from the fields' accesses). */
  readonly access: Access | 'free';
  readonly stack: readonly string[];
  /** The system call the access was made in, and where the scenario states it (kept: the thread moves on). */
  readonly op: string | null;
  readonly site: Site | null;
}

/**
 * Every access of a field that a later access could still race with. Unlike
 * FastTrack's last-write-and-reads, a write does not retire the accesses it
 * raced with: which races are seen must not depend on the order two racing
 * accesses happened to run in (the explorer runs one order of them, not
 * both). A thread's newer access retires its own older ones of the same kind
 * (a write retires all of them): whatever would race with the older would
 * race with the newer, so each pair of racing threads is still reported.
 */
type FieldState = Access1[];

function ordered(a: Access1, now: Clock): boolean {
  return a.at <= (now[a.thread.id] ?? 0);
}

function join(into: Clock, from: Clock | undefined): void {
  if (from === undefined) return;
  for (let i = 0; i < from.length; i++) if ((into[i] ?? 0) < (from[i] ?? 0)) into[i] = from[i] as number;
}

export class RaceChecker implements Checker, RaceHost {
  readonly name = 'data-race';
  /** Asks the runtime for plain-access events. */
  readonly wantsPlainAccesses = true;
  /** Summaries of explored subtrees, for state caching (racesummary.ts). */
  readonly subtree = new RaceSummaries(this);
  private exec: Execution | null = null;
  /** Threads given a clock so far (in spawn order). */
  private adopted = 0;
  /** What each step of the execution did (for summaries), by step. */
  private steps: StepAction[][] = [];
  /** Every race signature reported in any execution so far. */
  private readonly reported = new Set<string>();
  /** Execution ids of the objects seen, by stable id. */
  private ids = new Map<string, number>();
  private clocks = new Map<Thread, Clock>();
  private syncs = new Map<number, Clock>();
  private fields = new Map<number, Map<string, FieldState>>();
  /** Each freed object's free, for accesses that come after it unordered. */
  private frees = new Map<number, Access1>();
  private found: RawFinding[] = [];
  private readonly seen = new Set<string>();
  /** Stable ids (ObjMeta.sid) of the objects seen, by execution id: summaries name objects by what holds across interleavings. */
  private sids = new Map<number, string>();

  begin(exec?: Execution): void {
    this.exec = exec ?? null;
    this.adopted = 0;
    this.steps = [];
    this.ids = new Map();
    this.clocks = new Map();
    this.syncs = new Map();
    this.fields = new Map();
    this.frees = new Map();
    this.found = [];
    this.seen.clear();
    this.sids = new Map();
  }

  private clock(t: Thread): Clock {
    let c = this.clocks.get(t);
    if (c === undefined) {
      const parent = t.parent === null ? null : this.clock(t.parent);
      c = parent === null ? [] : parent.slice();
      // The spawner goes on in a new epoch: what it does from now on, the child does not know.
      if (parent !== null && t.parent !== null) parent[t.parent.id] = (parent[t.parent.id] ?? 1) + 1;
      // Epochs start at 1: 0 in another thread's clock means "knows nothing of it".
      c[t.id] = 1;
      this.clocks.set(t, c);
      if (t.parent !== null) this.log({ k: 'spawn', t: t.id, parent: t.parent.id });
    }
    return c;
  }

  /**
   * Threads spawned since the last event start from what their parent knows
   * now (it has not synchronised since: a step's synchronisation is its first
   * event, and spawning happens after it).
   */
  private adopt(): void {
    const threads = this.exec?.threads;
    if (threads === undefined) return;
    for (; this.adopted < threads.length; this.adopted++) this.clock(threads[this.adopted] as Thread);
  }

  /** Notes what the current step did (steps before the first, the program's start, are no summary's). */
  private log(a: StepAction): void {
    const step = (this.exec?.steps ?? 0) - 1;
    if (step < 0) return;
    let list = this.steps[step];
    if (list === undefined) {
      list = [];
      this.steps[step] = list;
    }
    list.push(a);
  }

  private seenObject(meta: ObjMeta): void {
    this.sids.set(meta.id, meta.sid);
    this.ids.set(meta.sid, meta.id);
  }

  /**
   * A synchronising operation of `t` on object `id`. Unless it only
   * releases, it sees everything published on the object; unless it only
   * acquires, it publishes what `t` did so far — and `t` moves to a new epoch,
   * so its later accesses are not covered by what it published.
   */
  private sync(t: Thread, id: number, mode: SyncMode = 'full'): void {
    const c = this.clock(t);
    this.log({ k: 'sync', t: t.id, o: id, mode });
    if (mode !== 'release') join(c, this.syncs.get(id));
    if (mode === 'acquire') return;
    const into = this.syncs.get(id);
    if (mode === 'release' && into !== undefined) join(into, c);
    else this.syncs.set(id, c.slice());
    c[t.id] = (c[t.id] ?? 1) + 1;
  }

  event(ev: RtEvent): void {
    this.adopt();
    switch (ev.kind) {
      case 'acquire':
        this.seenObject(ev.lock[META]);
        this.sync(ev.thread, ev.lock[META].id, 'acquire');
        return;
      case 'release':
        this.seenObject(ev.lock[META]);
        this.sync(ev.thread, ev.lock[META].id);
        return;
      case 'counter':
        this.seenObject(ev.counter[META]);
        // A plain atomic read (atomic_read, READ_ONCE) sees what was published, it publishes nothing:
        // two reads do not order each other (nor does the explorer order them). A blind add has its
        // declared ordering, which never makes its order with another blind add matter (the
        // explorer may leave that order out): an increment none, a decrement a release.
        if (ev.blind === 'relaxed') return;
        this.sync(ev.thread, ev.counter[META].id, ev.op === 'read' ? 'acquire' : ev.blind === 'release' ? 'release' : 'full');
        return;
      case 'atomic':
        ev.objs.forEach((m, i) => {
          this.seenObject(m);
          this.sync(ev.thread, m.id, ev.access[i] === 'read' ? 'acquire' : 'full');
        });
        return;
      case 'plain':
        this.seenObject(ev.meta);
        this.plain(ev.thread, ev.meta, ev.field, ev.access, ev.thread.stack());
        return;
      case 'free':
        this.seenObject(ev.meta);
        this.freed(ev.thread, ev.meta, ev.stack);
        return;
      default:
        return;
    }
  }

  private plain(t: Thread, meta: ObjMeta, field: string, access: Access, stack: readonly string[]): void {
    const c = this.clock(t);
    let m = this.fields.get(meta.id);
    if (m === undefined) {
      m = new Map();
      this.fields.set(meta.id, m);
    }
    const st = m.get(field) ?? [];
    const me: Access1 = { thread: t, at: c[t.id] ?? 1, access, stack, op: t.op?.text ?? null, site: t.op?.site ?? null };
    this.log({ k: 'access', t: t.id, o: meta.id, field, kind: access, top: top(stack) });
    for (const other of st) {
      if (other.thread !== t && (access === 'write' || other.access === 'write') && !ordered(other, c)) this.report(meta, field, other, me);
    }
    // After a free it does not know of: the same race as the other way round (where it is the free that
    // comes second), here seen as a use after free too. Either order shows it, whichever one the explorer runs.
    const free = this.frees.get(meta.id);
    if (free !== undefined && free.thread !== t && !ordered(free, c)) this.report(meta, `${field} (freed)`, free, me);
    m.set(field, [...st.filter((a) => a.thread !== t || (access === 'read' && a.access === 'write')), me]);
  }

  /** A free writes all of the object: it races with any unordered access of another thread. */
  private freed(t: Thread, meta: ObjMeta, stack: readonly string[]): void {
    const c = this.clock(t);
    const me: Access1 = { thread: t, at: c[t.id] ?? 1, access: 'free', stack, op: t.op?.text ?? null, site: t.op?.site ?? null };
    this.log({ k: 'access', t: t.id, o: meta.id, field: '(free)', kind: 'free', top: top(stack) });
    this.frees.set(meta.id, me);
    for (const [field, st] of this.fields.get(meta.id) ?? []) {
      for (const other of st) {
        if (other.thread !== t && !ordered(other, c)) this.report(meta, `${field} (freed)`, other, me);
      }
    }
  }

  private report(meta: ObjMeta, field: string, first: Access1, second: Access1): void {
    const fa = first.stack.at(-1) ?? '?';
    const fb = second.stack.at(-1) ?? '?';
    const signature = raceSignature(meta.kind, field, top(first.stack), top(second.stack));
    if (this.seen.has(signature)) return;
    this.seen.add(signature);
    this.reported.add(signature);
    this.found.push({
      kind: 'data-race',
      title: `KCSAN-style data-race in ${fa} / ${fb} on ${meta.kind}.${field}`,
      signature,
      threads: [
        { ...threadInfo(first.thread, first.stack), op: first.op, site: first.site, held: [], waitingFor: null },
        { ...threadInfo(second.thread, second.stack), op: second.op, site: second.site, held: [], waitingFor: null },
      ],
      objects: [objectInfo(meta)],
      detail: [
        accessLine(first, meta.label, field, fa),
        accessLine(second, meta.label, field, fb),
        'no lock, atomic operation or thread start orders the two',
      ],
    });
  }

  end(): RawFinding[] {
    return this.found;
  }

  // ---- RaceHost: what the subtree summaries need -----------------------------

  actions(step: number): readonly StepAction[] {
    return this.steps[step] ?? NO_ACTIONS;
  }

  threadName(tid: number): string {
    return this.exec?.threads[tid]?.name ?? `#${tid}`;
  }

  sid(obj: number): string {
    return this.sids.get(obj) ?? this.exec?.objects[obj]?.sid ?? `#${obj}`;
  }

  /**
   * Whether access `e` of a subtree below the current state would race with
   * an access of this path (or follow a free of it unordered) in a way not
   * reported yet: it is ordered after a past access only if one of its
   * sources knows of it now.
   */
  unreported(e: AccessName, src: Sources): boolean {
    const obj = this.ids.get(e.sid);
    if (obj === undefined) return false;
    this.adopt();
    const kind = this.exec?.objects[obj]?.kind ?? '?';
    const clocks: Clock[] = [];
    const threads = this.exec?.threads ?? [];
    for (const name of src.threads) {
      const t = threads.find((x) => x.name === name);
      const c = t === undefined ? undefined : this.clocks.get(t);
      if (c !== undefined) clocks.push(c);
    }
    for (const sid of src.objects) {
      const o = this.ids.get(sid);
      const c = o === undefined ? undefined : this.syncs.get(o);
      if (c !== undefined) clocks.push(c);
    }
    const known = (a: Access1): boolean => a.thread.name === e.thread || clocks.some((c) => ordered(a, c));
    const racy = (field: string, a: Access1): boolean => !known(a) && !this.reported.has(raceSignature(kind, field, top(a.stack), e.top));
    const fields = this.fields.get(obj);
    if (e.kind === 'free') {
      for (const [field, st] of fields ?? []) for (const a of st) if (racy(`${field} (freed)`, a)) return true;
      return false;
    }
    for (const a of fields?.get(e.field) ?? []) if ((e.kind === 'write' || a.access === 'write') && racy(e.field, a)) return true;
    const free = this.frees.get(obj);
    return free !== undefined && racy(`${e.field} (freed)`, free);
  }
}

/** One side of a race, as KCSAN words an access ("read to …") — and a free as what it is. */
function accessLine(a: Access1, label: string, field: string, fn: string): string {
  if (a.access === 'free') return `kfree of ${label} by ${a.thread.name} in ${fn}`;
  return `${a.access} to ${label}.${field} by ${a.thread.name} in ${fn}`;
}

/** A race's identity across executions: the object kind, the field and the two accessing places, in either order. */
function raceSignature(kind: string, field: string, a: string, b: string): string {
  return `race|${kind}|${field}|${[a, b].sort().join('|')}`;
}
