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
 * missed in the other); a spawned thread starts after its parent's step. Generic: objects, fields, threads and clocks.
 */
import type { RtEvent } from '../rt/events.js';
import { fmix32, Hash, stringHash } from '../rt/fingerprint.js';
import { META, type Access, type ObjMeta } from '../rt/object.js';
import type { Thread } from '../rt/thread.js';
import type { RawFinding } from '../trace/finding.js';
import type { Checker } from './checker.js';
import { objectInfo, threadInfo, top } from './info.js';

type Clock = number[];

interface Access1 {
  readonly thread: Thread;
  /** The accessing thread's own component at the access. */
  readonly at: number;
  readonly access: Access;
  readonly stack: readonly string[];
  readonly op: string | null;
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

export class RaceChecker implements Checker {
  readonly name = 'data-race';
  /** Asks the runtime for plain-access events. */
  readonly wantsPlainAccesses = true;
  private clocks = new Map<Thread, Clock>();
  private syncs = new Map<number, Clock>();
  private fields = new Map<number, Map<string, FieldState>>();
  /** Each freed object's free, for accesses that come after it unordered. */
  private frees = new Map<number, Access1>();
  private found: RawFinding[] = [];
  private readonly seen = new Set<string>();
  /** Stable ids (ObjMeta.sid) of the objects seen, by execution id: state keys must not depend on allocation order. */
  private sids = new Map<number, string>();

  begin(): void {
    this.clocks = new Map();
    this.syncs = new Map();
    this.fields = new Map();
    this.frees = new Map();
    this.found = [];
    this.seen.clear();
    this.sids = new Map();
  }

  /**
   * What a future access could still race with: every recorded access some
   * live thread does not yet know of (is not ordered after), with who knows
   * it — threads, and objects whose synchronisation would pass it on. Whether
   * a future access is ordered after a past one depends on nothing else, so
   * two executions in one state with equal keys report the same races from
   * here on. Accesses every live thread knows of can race with nothing more.
   */
  stateKey(rename: ((name: string) => string) | null = null): string {
    // With symmetry, names (threads, stable ids) as the canonical image renames them.
    const nm = rename ?? ((n: string): string => n);
    const live = [...this.clocks].filter(([t]) => t.state !== 'done');
    // Records are summed as hashes: the key does not depend on the order they are met in.
    let sumA = 0;
    let sumB = 0;
    const add = (id: number, field: string, a: Access1): void => {
      if (live.every(([, c]) => ordered(a, c))) return;
      const h = new Hash().str(nm(this.sids.get(id) ?? `#${id}`)).str(field).str(a.access).str(nm(a.thread.name)).str(nm(top(a.stack)));
      // Who knows of it, as a set (summed: the order threads and objects were first met in varies).
      let knowers = 0;
      for (const [t, c] of live) if (ordered(a, c)) knowers = (knowers + fmix32(stringHash(nm(t.name)))) | 0;
      for (const [sync, c] of this.syncs) if (ordered(a, c)) knowers = (knowers + fmix32(Math.imul(stringHash(nm(this.sids.get(sync) ?? `#${sync}`)), 31))) | 0;
      h.num(knowers);
      // Summed: avalanched first (Hash.mixed).
      const m = h.mixed();
      sumA = (sumA + m.a) | 0;
      sumB = (sumB + m.b) | 0;
    };
    for (const [id, m] of this.fields) for (const [field, st] of m) for (const a of st) add(id, field, a);
    // A free some thread does not know of yet: its later access would race with it.
    for (const [id, a] of this.frees) add(id, '(free)', a);
    return `${sumA}.${sumB}`;
  }

  private clock(t: Thread): Clock {
    let c = this.clocks.get(t);
    if (c === undefined) {
      c = t.parent === null ? [] : (this.clocks.get(t.parent) ?? []).slice();
      // Epochs start at 1: 0 in another thread's clock means "knows nothing of it".
      c[t.id] = 1;
      this.clocks.set(t, c);
    }
    return c;
  }

  /**
   * A synchronising operation of `t` on object `id`: it sees everything
   * published on the object; unless it only acquires, it publishes what `t`
   * did so far — and `t` moves to a new epoch, so its later accesses are not
   * covered by what it published.
   */
  private sync(t: Thread, id: number, acquireOnly = false): void {
    const c = this.clock(t);
    join(c, this.syncs.get(id));
    if (acquireOnly) return;
    this.syncs.set(id, c.slice());
    c[t.id] = (c[t.id] ?? 1) + 1;
  }

  event(ev: RtEvent): void {
    switch (ev.kind) {
      case 'acquire':
        this.sids.set(ev.lock[META].id, ev.lock[META].sid);
        this.sync(ev.thread, ev.lock[META].id, true);
        return;
      case 'release':
        this.sync(ev.thread, ev.lock[META].id);
        return;
      case 'counter':
        this.sids.set(ev.counter[META].id, ev.counter[META].sid);
        // A plain atomic read (atomic_read, READ_ONCE) sees what was published, it publishes nothing:
        // two reads do not order each other (nor does the explorer order them).
        this.sync(ev.thread, ev.counter[META].id, ev.op === 'read');
        return;
      case 'atomic':
        ev.objs.forEach((m, i) => {
          this.sids.set(m.id, m.sid);
          this.sync(ev.thread, m.id, ev.access[i] === 'read');
        });
        return;
      case 'plain':
        this.sids.set(ev.meta.id, ev.meta.sid);
        this.plain(ev.thread, ev.meta, ev.field, ev.access, ev.thread.stack());
        return;
      case 'free':
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
    const me: Access1 = { thread: t, at: c[t.id] ?? 1, access, stack, op: t.op?.text ?? null };
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
    const me: Access1 = { thread: t, at: c[t.id] ?? 1, access: 'write', stack, op: t.op?.text ?? null };
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
    const signature = `race|${meta.kind}|${field}|${[top(first.stack), top(second.stack)].sort().join('|')}`;
    if (this.seen.has(signature)) return;
    this.seen.add(signature);
    this.found.push({
      kind: 'data-race',
      title: `KCSAN-style data-race in ${fa} / ${fb} on ${meta.kind}.${field}`,
      signature,
      threads: [
        { ...threadInfo(first.thread, first.stack), op: first.op, held: [], waitingFor: null },
        { ...threadInfo(second.thread, second.stack), op: second.op, held: [], waitingFor: null },
      ],
      objects: [objectInfo(meta)],
      detail: [
        `${first.access} to ${meta.label}.${field} by ${first.thread.name} in ${fa}`,
        `${second.access} to ${meta.label}.${field} by ${second.thread.name} in ${fb}`,
        'no lock, atomic operation or thread start orders the two',
      ],
    });
  }

  end(): RawFinding[] {
    return this.found;
  }
}
