/**
 * lockdep for the model: validates every lock attempt against the dependency
 * graph merged over all executions of a check, so an AB-BA order seen in two
 * executions that each ran fine is still reported. Generic: it knows lock
 * classes and held-lock stacks, nothing of what the locks protect.
 *
 * Reports: recursive locking (same class, no nesting subclass), circular
 * dependency of any length, a sleeping lock taken while holding a spinlock,
 * a lock still held when an operation returns to user space, and an unlock
 * of a lock not held. Each potential deadlock is then confirmed or ruled out
 * against the deadlocks the exploration actually reached.
 */
import type { Absorbed, Checker, Coverage } from '../check/checker.js';
import type { RtEvent } from '../rt/events.js';
import type { Thread } from '../rt/thread.js';
import type { Finding, LockRef, RawFinding } from '../trace/finding.js';
import { confirm } from './confirm.js';
import { classOf, DepGraph, lockRef, type DepEdge } from './graph.js';

const task = (t: Thread): string => `${t.group}/${t.name}`;

export class LockdepChecker implements Checker {
  readonly name = 'lockdep';
  /** Merged over every execution: never reset. */
  readonly graph = new DepGraph();
  private found: RawFinding[] = [];
  /** Every edge with the schedule of the execution that added it (for merging shards). */
  private readonly edges: { edge: DepEdge; schedule: readonly string[] }[] = [];
  private fresh: DepEdge[] = [];

  begin(): void {
    this.found = [];
    this.fresh = [];
  }

  event(ev: RtEvent): void {
    switch (ev.kind) {
      case 'attempt':
        if (!ev.trylock) this.attempt(ev);
        return;
      case 'release':
        if (!ev.held) this.badUnlock(ev.thread, { cls: ev.lock.cls, kind: ev.lock.kind, stack: ev.stack });
        return;
      case 'op-end':
        if (ev.thread.held.length > 0) this.heldOnReturn(ev.thread, ev.text);
        return;
      default:
        return;
    }
  }

  end(_exec: unknown, schedule: readonly string[]): RawFinding[] {
    for (const edge of this.fresh) this.edges.push({ edge, schedule });
    return this.found;
  }

  snapshot(): unknown {
    return this.edges;
  }

  /** Adds another shard's edges in its order, validating each as lockdep would have when it was first taken. */
  absorb(snapshot: unknown): Absorbed[] {
    const out: Absorbed[] = [];
    for (const { edge, schedule } of snapshot as { edge: DepEdge; schedule: readonly string[] }[]) {
      if (this.graph.has(edge)) continue;
      const c = this.circular(edge.task, edge.to, edge.from, [edge.from], edge.to.stack);
      if (c !== null) out.push({ raw: c, schedule });
      this.graph.add(edge);
      this.edges.push({ edge, schedule });
    }
    return out;
  }

  conclude(all: readonly Finding[], coverage: Coverage): Finding[] {
    return all.filter((f) => f.kind.startsWith('lockdep-')).map((f) => confirm(f, all, coverage));
  }

  private attempt(ev: Extract<RtEvent, { kind: 'attempt' }>): void {
    const t = ev.thread;
    const next: LockRef = { cls: classOf(ev), kind: ev.lock.kind, stack: ev.stack };
    const held = ev.held.map(lockRef);
    const data = { task: task(t), acquiring: next, held, stack: ev.stack };
    const atomic = held.find((h) => h.kind === 'spinlock');
    if (next.kind === 'mutex' && atomic !== undefined) {
      this.found.push({
        kind: 'lockdep-sleep-in-atomic',
        title: `sleeping function called from invalid context: ${next.cls} taken while holding spinlock ${atomic.cls}`,
        signature: `lockdep-atomic|${atomic.cls}|${next.cls}`,
        threads: [],
        objects: [],
        detail: [],
        lockdep: { ...data, holding: atomic, chain: [] },
      });
    }
    for (const h of held) {
      if (h.cls === next.cls) {
        this.found.push({
          kind: 'lockdep-recursive',
          title: `possible recursive locking detected: ${next.cls}`,
          signature: `lockdep-recursive|${next.cls}`,
          threads: [],
          objects: [],
          detail: [],
          lockdep: { ...data, holding: h, chain: [] },
        });
        return;
      }
    }
    for (const h of held) {
      const c = this.circular(data.task, next, h, held, ev.stack);
      if (c !== null) this.found.push(c);
    }
    for (const h of held) {
      const edge = { from: h, to: next, task: task(t) };
      if (this.graph.add(edge)) this.fresh.push(edge);
    }
  }

  /** Taking `next` while holding `h`: the cycle it closes with the graph, if any, as lockdep reports it. */
  private circular(taskName: string, next: LockRef, h: LockRef, held: readonly LockRef[], stack: readonly string[]): RawFinding | null {
    const path = this.graph.path(next.cls, h.cls);
    if (path === null) return null;
    // Chain printed as lockdep does: the held lock's end first (#N), the new lock last (#0).
    const chain = [...path.map((e) => e.to).reverse(), next];
    const classes = [next.cls, ...path.map((e) => e.to.cls)];
    return {
      kind: 'lockdep-circular',
      title: `possible circular locking dependency detected: ${classes.join(' -> ')} -> ${next.cls}`,
      signature: `lockdep-circular|${[...classes].sort().join('|')}`,
      threads: [],
      objects: [],
      detail: [],
      lockdep: { task: taskName, acquiring: next, held, stack, holding: h, chain },
    };
  }

  private badUnlock(t: Thread, lock: LockRef): void {
    this.found.push({
      kind: 'lockdep-bad-unlock',
      title: `bad unlock balance detected: ${lock.cls} is not held by ${task(t)}`,
      signature: `lockdep-unlock|${lock.cls}|${lock.stack.slice(-3).join('<')}`,
      threads: [],
      objects: [],
      detail: [],
      lockdep: { task: task(t), acquiring: lock, holding: null, chain: [], held: t.held.map(lockRef), stack: lock.stack },
    });
  }

  private heldOnReturn(t: Thread, op: string): void {
    const held = t.held.map(lockRef);
    this.found.push({
      kind: 'lockdep-held-on-return',
      title: `lock held when returning to user space: ${held.map((h) => h.cls).join(', ')} after ${op}`,
      signature: `lockdep-return|${held.map((h) => h.cls).join('|')}|${op}`,
      threads: [],
      objects: [],
      detail: [],
      lockdep: { task: task(t), acquiring: null, holding: held[0] ?? null, chain: [], held, stack: [] },
    });
  }
}
