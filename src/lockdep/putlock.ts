/**
 * put-under-lock: what lockdep cannot see. A reference count's final put runs
 * the object's teardown right there, under whatever locks the putter holds.
 * This checker learns, for each counter, which lock classes its final-put
 * path takes (the teardown, transitively, for as long as the frame that made
 * the put is running); then, at every put of that counter made while holding
 * locks — final or not — it asks whether the teardown could take a held lock
 * again (recursive) or close a cycle with the dependency graph (circular).
 * A put that was not the last one in the run that was explored is still
 * flagged: it would deadlock on the day it is the last one.
 */
import type { Absorbed, Checker, Coverage } from '../check/checker.js';
import type { RtEvent } from '../rt/events.js';
import type { Lock } from '../rt/lock.js';
import type { ObjMeta } from '../rt/object.js';
import type { Thread } from '../rt/thread.js';
import type { Finding, LockRef } from '../trace/finding.js';
import { confirm } from './confirm.js';
import { classOf, lockRef, type DepGraph } from './graph.js';

/** A final put whose teardown is still running: the frame that put, and what it did so far. */
interface Window {
  readonly counter: string;
  readonly frames: readonly string[];
  /** Locks taken by the teardown. */
  readonly taken: Lock[];
  /** Objects the teardown freed. */
  readonly freed: Set<ObjMeta>;
}

/** A lock class a counter's teardown takes. */
interface TeardownLock {
  readonly ref: LockRef;
  /**
   * Whether every observed instance belonged to an object the same teardown
   * freed: a lock of the dying object's own parts, which no other task can
   * hold (it would need a reference the dying object no longer has).
   */
  private: boolean;
}

/** A put made while holding locks. */
interface PutRecord {
  readonly counter: string;
  readonly task: string;
  readonly held: readonly LockRef[];
  readonly site: readonly string[];
  readonly final: boolean;
  schedule: readonly string[] | null;
  firstExecution: number;
  executions: number;
}

function isPrefix(prefix: readonly string[], stack: readonly string[]): boolean {
  if (stack.length < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (prefix[i] !== stack[i]) return false;
  return true;
}

export class PutUnderLockChecker implements Checker {
  readonly name = 'put-under-lock';
  /** counter → lock class → the first teardown acquisition of it (the path that takes it). */
  private readonly teardown = new Map<string, Map<string, TeardownLock>>();
  private readonly puts = new Map<string, PutRecord>();
  private readonly windows = new Map<Thread, Window[]>();
  private seenThisExecution = new Set<string>();
  private execution = 0;

  constructor(private readonly graph: DepGraph) {}

  begin(): void {
    this.windows.clear();
    this.seenThisExecution = new Set();
    this.execution++;
  }

  event(ev: RtEvent): void {
    if (ev.kind === 'op-end' || ev.kind === 'thread-exit') {
      this.close(ev.thread, []);
      return;
    }
    if (!('stack' in ev) || ev.thread === null) return;
    const t = ev.thread;
    // Windows close once the frame that made the final put has returned.
    const open = this.close(t, ev.stack);
    if (ev.kind === 'attempt' && !ev.trylock) {
      for (const w of open) {
        w.taken.push(ev.lock);
        const cls = classOf(ev);
        const m = this.teardownOf(w.counter);
        if (!m.has(cls)) m.set(cls, { ref: { cls, kind: ev.lock.kind, stack: ev.stack }, private: true });
      }
    } else if (ev.kind === 'free') {
      for (const w of open) w.freed.add(ev.meta);
    } else if (ev.kind === 'counter' && ev.fault === null && ev.after < ev.before) {
      const final = ev.after === 0;
      if (final) open.push({ counter: ev.counter.name, frames: ev.stack, taken: [], freed: new Set() });
      if (t.held.length > 0) this.recordPut(t, ev.counter.name, ev.stack, final);
    }
  }

  private fresh(t: Thread): Window[] {
    const w: Window[] = [];
    this.windows.set(t, w);
    return w;
  }

  private teardownOf(counter: string): Map<string, TeardownLock> {
    let m = this.teardown.get(counter);
    if (m === undefined) {
      m = new Map();
      this.teardown.set(counter, m);
    }
    return m;
  }

  /** Keeps the windows of `t` whose frame is still on `stack`; judges the others' locks. */
  private close(t: Thread, stack: readonly string[]): Window[] {
    const current = this.windows.get(t);
    // The common case on the explorer's hot path: no teardown running in this thread.
    if (current === undefined || current.length === 0) return current ?? this.fresh(t);
    const open: Window[] = [];
    for (const w of current) {
      if (isPrefix(w.frames, stack)) {
        open.push(w);
        continue;
      }
      const m = this.teardownOf(w.counter);
      for (const lock of w.taken) {
        const tl = m.get(classOf({ lock, subclass: 0 })) ?? [...m.values()].find((x) => x.ref.cls.startsWith(lock.cls));
        if (tl !== undefined && !(lock.container !== null && w.freed.has(lock.container))) tl.private = false;
      }
    }
    this.windows.set(t, open);
    return open;
  }

  private recordPut(t: Thread, counter: string, site: readonly string[], final: boolean): void {
    const held = t.held.map(lockRef);
    const key = `${counter}|${held.map((h) => h.cls).join(',')}|${site.join('<')}`;
    let r = this.puts.get(key);
    if (r === undefined) {
      r = { counter, task: `${t.group}/${t.name}`, held, site, final, schedule: null, firstExecution: this.execution, executions: 0 };
      this.puts.set(key, r);
    }
    if (!this.seenThisExecution.has(key)) {
      this.seenThisExecution.add(key);
      r.executions++;
    }
  }

  snapshot(): unknown {
    return {
      teardown: [...this.teardown].map(([counter, m]) => [counter, [...m]]),
      puts: [...this.puts],
    };
  }

  /**
   * Merges another shard's teardowns and puts: a teardown lock stays private
   * only if it was private in both; a put keeps the first shard's schedule.
   */
  absorb(snapshot: unknown): Absorbed[] {
    const s = snapshot as { teardown: [string, [string, TeardownLock][]][]; puts: [string, PutRecord][] };
    for (const [counter, locks] of s.teardown) {
      const m = this.teardownOf(counter);
      for (const [cls, tl] of locks) {
        const mine = m.get(cls);
        if (mine === undefined) m.set(cls, { ...tl });
        else mine.private = mine.private && tl.private;
      }
    }
    for (const [key, r] of s.puts) {
      const mine = this.puts.get(key);
      if (mine === undefined) this.puts.set(key, { ...r });
      else mine.executions += r.executions;
    }
    return [];
  }

  end(_exec: unknown, schedule: readonly string[]): [] {
    for (const t of [...this.windows.keys()]) this.close(t, []);
    for (const r of this.puts.values()) if (r.schedule === null) r.schedule = schedule;
    return [];
  }

  conclude(all: readonly Finding[], coverage: Coverage): Finding[] {
    const out = new Map<string, Finding>();
    for (const r of this.puts.values()) {
      const takes = [...(this.teardown.get(r.counter)?.values() ?? [])].filter((x) => !x.private).map((x) => x.ref);
      // A put whose teardown takes a lock the putter holds is the strongest case; report only that one then.
      const recursiveOnly = r.held.some((h) => takes.some((t) => t.cls === h.cls));
      for (const h of r.held) {
        for (const t of takes) {
          if (recursiveOnly && t.cls !== h.cls) continue;
          const recursive = t.cls === h.cls;
          const path = recursive ? null : this.graph.path(t.cls, h.cls);
          if (!recursive && path === null) continue;
          const signature = `put-under-lock|${r.counter}|${h.cls}|${t.cls}|${r.site.at(-1) ?? ''}`;
          if (out.has(signature)) continue;
          const chain = recursive ? [] : [...path!.map((e) => e.to).reverse(), t];
          out.set(signature, confirm(
            {
              kind: 'put-under-lock',
              title: recursive
                ? `possible deadlock: ${r.counter} is put under ${h.cls}, and its final put takes ${t.cls} again`
                : `possible circular locking dependency: ${r.counter} is put under ${h.cls}, and its final put takes ${t.cls}, which ${h.cls} depends on`,
              signature,
              threads: [],
              objects: [],
              detail: [
                `the put here was ${r.final ? 'the final one' : 'not the final one in this run: it deadlocks on the day it is'}`,
              ],
              lockdep: {
                task: r.task,
                acquiring: t,
                holding: h,
                chain,
                held: r.held,
                stack: r.site,
                put: { counter: r.counter, site: r.site, teardown: t.stack },
              },
              schedule: r.schedule ?? [],
              executions: r.executions,
              firstExecution: r.firstExecution,
            },
            all,
            coverage,
          ));
        }
      }
    }
    return [...out.values()];
  }
}
