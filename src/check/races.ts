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
 * next acquire; atomic operations and counter updates on one object are
 * ordered with each other (treated as fully ordered, as the kernel's
 * refcount_t and the model's marked accesses are); a spawned thread starts
 * after its parent's step. Generic: objects, fields, threads and clocks.
 */
import type { RtEvent } from '../rt/events.js';
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

interface FieldState {
  write: Access1 | null;
  reads: Access1[];
}

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
  private found: RawFinding[] = [];
  private readonly seen = new Set<string>();

  begin(): void {
    this.clocks = new Map();
    this.syncs = new Map();
    this.fields = new Map();
    this.found = [];
    this.seen.clear();
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
        this.sync(ev.thread, ev.lock[META].id, true);
        return;
      case 'release':
        this.sync(ev.thread, ev.lock[META].id);
        return;
      case 'counter':
        this.sync(ev.thread, ev.counter[META].id);
        return;
      case 'atomic':
        for (const m of ev.objs) this.sync(ev.thread, m.id);
        return;
      case 'plain':
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
    let st = m.get(field);
    if (st === undefined) {
      st = { write: null, reads: [] };
      m.set(field, st);
    }
    const me: Access1 = { thread: t, at: c[t.id] ?? 1, access, stack, op: t.op?.text ?? null };
    const against = access === 'write' ? [...(st.write === null ? [] : [st.write]), ...st.reads] : st.write === null ? [] : [st.write];
    for (const other of against) {
      if (other.thread !== t && !ordered(other, c)) this.report(meta, field, other, me);
    }
    if (access === 'write') {
      st.write = me;
      st.reads = [];
    } else {
      st.reads = st.reads.filter((r) => r.thread !== t);
      st.reads.push(me);
    }
  }

  /** A free writes all of the object: it races with any unordered access of another thread. */
  private freed(t: Thread, meta: ObjMeta, stack: readonly string[]): void {
    const c = this.clock(t);
    const me: Access1 = { thread: t, at: c[t.id] ?? 1, access: 'write', stack, op: t.op?.text ?? null };
    for (const [field, st] of this.fields.get(meta.id) ?? []) {
      for (const other of [...(st.write === null ? [] : [st.write]), ...st.reads]) {
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
