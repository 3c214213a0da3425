/**
 * The lock dependency graph, merged over every execution of a check: an edge
 * prev → next whenever next was taken while prev was held, keeping the first
 * stack that created it (what lockdep prints under each `-> #N` entry).
 */
import type { HeldLock } from '../rt/thread.js';
import type { LockRef } from '../trace/finding.js';

/** A lock class as lockdep names it: the declaration, plus "/N" for a nesting subclass. */
export function classOf(h: Pick<HeldLock, 'lock' | 'subclass'>): string {
  return h.subclass === 0 ? h.lock.cls : `${h.lock.cls}/${h.subclass}`;
}

export function lockRef(h: HeldLock): LockRef {
  return { cls: classOf(h), kind: h.lock.kind, stack: h.stack };
}

export interface DepEdge {
  readonly from: LockRef;
  /** The acquisition of `to.cls` while `from.cls` was held. */
  readonly to: LockRef;
  readonly task: string;
}

export class DepGraph {
  private readonly out = new Map<string, Map<string, DepEdge>>();

  /** Adds prev → next unless present; returns whether it was new. */
  add(edge: DepEdge): boolean {
    let m = this.out.get(edge.from.cls);
    if (m === undefined) {
      m = new Map();
      this.out.set(edge.from.cls, m);
    }
    if (m.has(edge.to.cls)) return false;
    m.set(edge.to.cls, edge);
    return true;
  }

  /** Whether prev → next is already known. */
  has(edge: Pick<DepEdge, 'from' | 'to'>): boolean {
    return this.out.get(edge.from.cls)?.has(edge.to.cls) === true;
  }

  /** The shortest dependency path from → to (breadth first), as edges, or null. */
  path(from: string, to: string): DepEdge[] | null {
    const prev = new Map<string, DepEdge | null>([[from, null]]);
    const queue = [from];
    while (queue.length > 0) {
      const c = queue.shift() as string;
      if (c === to && c !== from) break;
      for (const e of this.out.get(c)?.values() ?? []) {
        if (prev.has(e.to.cls)) continue;
        prev.set(e.to.cls, e);
        queue.push(e.to.cls);
      }
    }
    if (!prev.has(to) || to === from) return null;
    const edges: DepEdge[] = [];
    for (let c = to; c !== from; ) {
      const e = prev.get(c) as DepEdge;
      edges.unshift(e);
      c = e.from.cls;
    }
    return edges;
  }

  get edgeCount(): number {
    let n = 0;
    for (const m of this.out.values()) n += m.size;
    return n;
  }
}
