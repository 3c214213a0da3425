/**
 * Wakeup trees (optimal DPOR, Abdulla et al., POPL'14 and JACM'17): what dpor
 * (dpor.ts) still has to explore from one state, as an ordered tree of
 * operation sequences rather than a set of threads. Source sets alone say
 * only *which thread* to try first when a race is reversed; the rest of the
 * reversal is left to chance, and when sleep sets then block that chance the
 * execution is wasted. A wakeup tree keeps the whole reversal, so each one is
 * replayed exactly and no execution ends blocked by sleep sets.
 *
 * A sequence is a list of steps, each a thread and the objects its operation
 * touches. Two steps of different threads are ordered when they touch one
 * object and are not both reads (nor two blind adds that commute): that is the happens-before a sequence
 * carries on its own, whatever the execution it was cut from. It is at least
 * the dependence the explorer reverses (a release orders the next acquire
 * even though the two never race), so it errs towards more branches, never
 * fewer.
 */
import { commutes, type OpSig } from './independence.js';

/** One operation of a sequence: its thread and the objects it touches. */
export interface Step {
  readonly tid: number;
  readonly sigs: readonly OpSig[];
}

/** A branch of a wakeup tree: run `tid` (its operation touches `sigs`), then what `sub` says. */
export interface Branch extends Step {
  /** The subtree below; empty: a leaf, explore freely from there. */
  readonly sub: Branch[];
}

/** Whether an operation touching `b` must stay after one touching `a` of another thread. */
export function ordered(a: readonly OpSig[], b: readonly OpSig[]): boolean {
  for (const x of a) for (const y of b) if (x.obj === y.obj && !(x.kind === 'read' && y.kind === 'read') && !commutes(x, y)) return true;
  return false;
}

/**
 * Whether thread `p`, whose next operation touches `sigs`, is a weak initial
 * of `w`: some sequence equivalent to w (or to w followed by p) starts with p.
 * Either p's first step in w comes after nothing of w it is ordered with, or
 * p has no step in w and its operation is ordered with nothing of w.
 */
export function weakInitial(p: number, sigs: readonly OpSig[], w: readonly Step[]): boolean {
  for (let i = 0; i < w.length; i++) {
    const x = w[i] as Step;
    if (x.tid === p) {
      for (let j = 0; j < i; j++) if (ordered((w[j] as Step).sigs, x.sigs)) return false;
      return true;
    }
  }
  return !w.some((x) => ordered(sigs, x.sigs));
}

/** `w` without p's first step (when p has none: w itself). */
function without(w: readonly Step[], p: number): Step[] {
  const i = w.findIndex((x) => x.tid === p);
  return i < 0 ? w.slice() : [...w.slice(0, i), ...w.slice(i + 1)];
}

/** `w` as a chain of branches. */
function chain(w: readonly Step[]): Branch {
  let sub: Branch[] = [];
  for (let i = w.length - 1; i > 0; i--) {
    const x = w[i] as Step;
    sub = [{ tid: x.tid, sigs: x.sigs, sub }];
  }
  const first = w[0] as Step;
  return { tid: first.tid, sigs: first.sigs, sub };
}

/**
 * Inserts the sequence `v` into the tree whose top branches are `roots`,
 * unless the tree already covers it: walking down, a branch whose thread is
 * a weak initial of what is left of v absorbs that thread's step; reaching a
 * leaf, or using up v, means v is covered. Otherwise what is left of v hangs
 * as a new, last branch where the walk stopped. Top branches for which
 * `skip` holds are passed over (the one being explored: its subtree is not a
 * wakeup tree any more). Returns the new top branch, if v made one.
 */
export function insert(roots: Branch[], v: readonly Step[], skip: (b: Branch) => boolean): Branch | null {
  let level = roots;
  let w: readonly Step[] = v;
  for (;;) {
    let into: Branch | null = null;
    for (const c of level) {
      if (level === roots && skip(c)) continue;
      if (weakInitial(c.tid, c.sigs, w)) {
        into = c;
        break;
      }
    }
    if (into === null) {
      if (w.length === 0) return null;
      const b = chain(w);
      level.push(b);
      return level === roots ? b : null;
    }
    w = without(w, into.tid);
    if (w.length === 0 || into.sub.length === 0) return null;
    level = into.sub;
  }
}
