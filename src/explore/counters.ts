/**
 * Commuting atomics: when two operations on one counter may be left in
 * either order (issue 13, item 4; Godefroid's conditional independence, made
 * to hold for a whole Mazurkiewicz trace rather than one state).
 *
 * A counter operation may declare a blind range (rt/ops.ts `Blind`): values
 * at which it just adds a constant and returns a constant. Two of them
 * commute where both stay in their ranges whichever runs first. Judging that
 * pair by pair at the values one execution shows is unsound: with a count of
 * 2, an increment and two decrements commute pairwise in the order
 * inc, dec, dec, yet dec, dec, inc takes the count to zero. So a dpor
 * execution classifies each operation once, from what every equivalent
 * execution shares:
 *
 * - an *increment* (delta > 0) in its range, whose range reaches down to 1,
 *   by a thread that owes the counter nothing (its own adds so far, its
 *   *balance*, are not negative) is `inc`: increments commute with each other
 *   and with both kinds of safe decrement;
 * - a *covered* decrement — its thread puts back what it got: its balance
 *   covers it — is `cdec` when the counter's *base* (its value less what
 *   threads hold: every positive balance) keeps it in range whoever else
 *   holds what: it commutes with increments and other covered decrements.
 *   Only ordered operations change the base, so it is the same in every
 *   equivalent execution, and so is a balance (its thread's own past);
 * - another decrement (delta < 0) is `dec` — safe — when even the smallest
 *   value any equivalent execution can show it is in its range and leaves at
 *   least 1: its value now minus every increment it is not ordered after.
 *   These decrements stay ordered with all decrements, so the decrements
 *   before it, and what it is ordered after, are the same in every
 *   equivalent execution; only unordered increments can move past it;
 * - anything else (a read of the value, an operation off its range, one with
 *   no declaration) stays a `read` or a `write`: ordered with every change.
 *
 * Each classification rests on what every execution of the trace shares, so
 * the independence relation is a fixed one within it, as DPOR needs.
 * After a safe decrement the count is at least 1 (at least the base after a
 * covered one), so an increment that was in
 * its range stays so in every reordering; increments only raise a
 * decrement's value. Saturation is out of reach of the adds themselves.
 * The runtime checks each declaration against the operation's real outcome
 * in every explored execution (rt/counter.ts `blindOrder`).
 *
 * A subtree summary (state caching) keeps a decrement with its `margin`: how
 * many more unordered increments it tolerates. A path that reaches the state
 * again with more of them than that has it as an ordinary write.
 */
import { inBlindRange } from '../rt/counter.js';
import type { Visible } from '../rt/ops.js';
import { happenedBefore, join, type VClock } from './clock.js';
import { racing, type ObjState } from './history.js';
import { opSigs, type OpSig } from './independence.js';

/** Per counter (execution id), each thread's balance: what its blind adds added so far. */
export type Balances = Map<number, number[]>;

/**
 * `op`'s signatures for a thread `tid` whose clock is `clock`, about to run it
 * now; `st`: the counter's history in this execution (if any).
 */
export function classify(op: Visible, tid: number, clock: VClock, st: ObjState | undefined, balances: Balances): OpSig[] {
  if (op.kind !== 'counter' || op.blind === undefined) return opSigs(op);
  const b = op.blind;
  const v = op.counter.value;
  const obj = (opSigs(op)[0] as OpSig).obj;
  if (!inBlindRange(b, v) || b.delta === 0) return opSigs(op);
  const held = balances.get(obj) ?? [];
  const mine = held[tid] ?? 0;
  const write: OpSig[] = [{ obj, kind: 'write', delta: b.delta }];
  if (b.delta > 0) return b.from <= 1 && mine >= 0 ? [{ obj, kind: 'inc', delta: b.delta }] : write;
  let base = v;
  for (const h of held) if (h !== undefined && h > 0) base -= h;
  if (mine + b.delta >= 0 && base >= 1 && base + mine >= b.from) return [{ obj, kind: 'cdec', delta: b.delta }];
  const floor = Math.max(b.from, 1 - b.delta);
  const margin = v - unorderedIncrements(st, tid, clock, { obj, kind: 'dec' }) - floor;
  return margin >= 0 ? [{ obj, kind: 'dec', delta: b.delta, margin }] : write;
}

/** After thread `tid` ran an operation classified `sigs`: its balances. */
export function settle(balances: Balances, tid: number, sigs: readonly OpSig[]): void {
  for (const s of sigs) {
    if (s.delta === undefined) continue;
    let held = balances.get(s.obj);
    if (held === undefined) {
      held = [];
      balances.set(s.obj, held);
    }
    held[tid] = (held[tid] ?? 0) + s.delta;
  }
}

/**
 * The increments in `st` that a `sig` operation of thread `tid`, clock `clock`,
 * is not ordered after: its own thread's are; so is what the operations it
 * would be ordered after (earlier decrements, writes, reads) were.
 */
export function unorderedIncrements(st: ObjState | undefined, tid: number, clock: VClock, sig: OpSig): number {
  if (st === undefined || st.incs.length === 0) return 0;
  const after = clock.slice();
  for (const e of racing(st, sig, true)) join(after, e.clock);
  let n = 0;
  for (const e of st.incs) if (e.tid !== tid && !happenedBefore(e.clock, e.tid, after)) n += incDelta(e.sigs, sig.obj);
  return n;
}

function incDelta(sigs: readonly OpSig[], obj: number): number {
  for (const s of sigs) if (s.obj === obj && s.kind === 'inc') return s.delta ?? 1;
  return 0;
}

/**
 * A summary's decrement, judged on a path that reaches its state again: safe
 * still while that path has no more unordered increments than it tolerates.
 */
export function onPath(sig: OpSig, tid: number | undefined, clock: VClock, st: ObjState): OpSig {
  if (sig.kind !== 'dec') return sig;
  const extra = unorderedIncrements(st, tid ?? -1, clock, sig);
  return extra <= (sig.margin ?? 0) ? sig : { obj: sig.obj, kind: 'write' };
}
