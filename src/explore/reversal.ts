/**
 * A state on dpor's path (dpor.ts), and how a race adds to what is left to
 * explore from it. For a race (e, e′) the reversal is v = the operations
 * after e that do not happen after it, then e′, to be run from the state
 * before e. Optimal dpor inserts v whole into that state's wakeup tree
 * (wakeup.ts) unless a thread asleep or done there is a weak initial of it;
 * with source sets it is enough that some initial of v gets a branch.
 */
import type { Perm } from '../rt/symmetry.js';
import type { Bits } from './bits.js';
import { happenedBefore } from './clock.js';
import type { Event } from './history.js';
import { ordinary, type OpSig } from './independence.js';
import { insert, ordered, weakInitial, type Branch, type Step } from './wakeup.js';

/** One state on the current path: what could run, what ran, what is left to try. */
export interface Node {
  readonly enabled: readonly number[];
  /** The pending operation of each enabled thread (the objects it touches). */
  readonly next: ReadonlyMap<number, readonly OpSig[]>;
  chosen: number;
  /**
   * What is left to explore from here, in order: the wakeup tree's top
   * branches (a thread, then what to replay after it). Threads are never
   * repeated; the chosen one's branch stays until it is done.
   */
  readonly wut: Branch[];
  readonly done: Set<number>;
  /** Threads whose exploration from here is covered elsewhere. */
  readonly sleep: ReadonlySet<number>;
  /**
   * With state caching, a state explored before under a larger sleep set:
   * the threads that visit explored from here (not to be run again), and the
   * threads it left asleep (by name). Unlike `done`, `prior` does not put
   * threads to sleep below this node: that visit explored them with threads
   * asleep that this one must explore, so what follows those here is new.
   */
  readonly prior: { readonly explored: ReadonlySet<number>; readonly asleep: ReadonlySet<string> } | null;
  /** For a split exploration: the index of this branching point among the first `split.depth` (fully expanded), else -1. */
  readonly top: number;
  /** With state caching: the state's fingerprint, and the operations performed from it so far. */
  readonly key: string | null;
  readonly summary: Bits | null;
  /** With state caching: the checkers' own summaries of what was explored from here (Checker.subtree), one per checker that keeps them. */
  readonly future: unknown[] | null;
  /** With symmetry: how the state was renamed to its canonical image when named (null: not renamed). */
  readonly perm: Perm | null;
}

/**
 * Race (e, later): make sure v = notdep(e).later — the operations after e
 * that do not happen after it, then `later` — is explored from the state
 * before e, unless a thread asleep or done there already covers it (is a
 * weak initial of v). With `later` unknown (an operation of a cached
 * subtree) only v's first thread can be named: one of its initials gets a
 * branch of its own, as in source-DPOR.
 *
 * @param events - the current execution's operations, one per step (e's among them).
 * @param optimal - wakeup trees (else source sets).
 */
export function reverseRace(node: Node, events: readonly Event[], e: Event, later: Event | null, optimal: boolean): void {
  // With source sets, a node where every enabled thread has a branch already has whatever initial
  // this race could name (and tryAll adds nothing): skip computing v, the costly part on long paths.
  if (!optimal && node.enabled.every((q) => branches(node, q))) return;
  const after = (x: Event): boolean => happenedBefore(e.clock, e.tid, x.clock);
  const v: Event[] = [];
  for (let k = e.step + 1; k < events.length; k++) {
    const x = events[k] as Event;
    if (x !== later && !after(x)) v.push(x);
  }
  if (later !== null) v.push(later);
  else if (v.length === 0) {
    // A race with an operation of an explored subtree, and nothing of this path between: the
    // initials would be among that subtree's operations, unknown here. Try every thread.
    tryAll(node);
    return;
  }
  const w = v.map(asMoved);
  if (optimal) {
    for (const q of [...node.sleep, ...node.done]) {
      const sigs = node.next.get(q);
      if (sigs !== undefined && weakInitial(q, sigs, w)) return;
    }
    const b = insert(node.wut, w, (c) => c.tid === node.chosen || node.done.has(c.tid));
    // A sequence cut from this execution starts with a thread enabled at the node; if not, every thread is tried.
    if (b !== null && !node.enabled.includes(b.tid)) tryAll(node);
    return;
  }
  const initials: number[] = [];
  const firsts = new Set<number>();
  for (let i = 0; i < v.length; i++) {
    const x = v[i] as Event;
    if (firsts.has(x.tid)) continue;
    firsts.add(x.tid);
    let free = true;
    const wx = w[i] as Step;
    for (let j = 0; j < i && free; j++) {
      const y = v[j] as Event;
      if (y.tid === x.tid) continue;
      // This execution's happens-before, and, where a blind add took part (asMoved changed it), the
      // order it may have in the reversal.
      const wy = w[j] as Step;
      if (happenedBefore(y.clock, y.tid, x.clock) || ((wx !== x || wy !== y) && ordered(wy.sigs, wx.sigs))) free = false;
    }
    if (free) initials.push(x.tid);
  }
  if (initials.some((q) => branches(node, q))) return;
  const pick =
    initials.find((q) => node.enabled.includes(q) && !node.sleep.has(q)) ?? initials.find((q) => node.enabled.includes(q));
  if (pick !== undefined) branch(node, pick);
  else tryAll(node);
}

/**
 * A step of v as it may run in the reversal: commuting atomics classify a
 * counter update by the value and history it met in *this* execution, and
 * moved before e it meets others (a put that was a blind add here may take
 * the count to zero there). So in v every blind add is an ordinary write
 * (independence.ts `ordinary`): more steps ordered, more branches, never fewer.
 */
function asMoved(x: Event): Step {
  const sigs = ordinary(x.sigs);
  return sigs === x.sigs ? x : { tid: x.tid, sigs };
}

/** Whether thread `q` has a branch at `node` (explored, being explored, or to come). */
function branches(node: Node, q: number): boolean {
  return node.wut.some((b) => b.tid === q);
}

/** A new top branch at `node`: run `q`, then explore freely. */
function branch(node: Node, q: number): void {
  if (node.next.has(q) && !branches(node, q)) node.wut.push(leaf(q, node.next));
}

/** A top branch for every thread enabled at `node` (when no initial can be named). */
function tryAll(node: Node): void {
  for (const q of node.enabled) branch(node, q);
}

/** A top branch that runs `q`, then explores freely. */
export function leaf(q: number, next: ReadonlyMap<number, readonly OpSig[]>): Branch {
  return { tid: q, sigs: next.get(q) ?? [], sub: [] };
}
