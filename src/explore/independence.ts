/**
 * Which visible operations commute. Every operation touches one object; two
 * operations on different objects always commute, and so do two reads of one
 * object. Lock operations get their own kinds: acquires of one lock conflict;
 * a release never races (it only enables), but it orders the next acquire.
 * Counter operations that dpor found to be blind adds (counters.ts) get three
 * more: increments commute with increments and with safe decrements, and
 * covered decrements (a thread putting a reference it got) with both.
 */
import { META } from '../rt/object.js';
import type { Visible } from '../rt/ops.js';

export type AccessKind = 'read' | 'write' | 'acquire' | 'release' | 'trylock' | 'inc' | 'dec' | 'cdec';

/** What the explorer needs to know of an operation: the object and how it is touched. */
export interface OpSig {
  readonly obj: number;
  readonly kind: AccessKind;
  /** A counter operation in its blind range: what it adds (counters.ts). */
  readonly delta?: number;
  /** A 'dec': how much more, from increments it is not ordered after, it stays safe (counters.ts). */
  readonly margin?: number;
}

/** Whether a signature is a blind add classified as commuting (counters.ts). */
export function isBlindAdd(s: OpSig): boolean {
  return s.kind === 'inc' || s.kind === 'dec' || s.kind === 'cdec';
}

/** Two blind adds of one counter that commute whatever the order (counters.ts). */
export function commutes(a: OpSig, b: OpSig): boolean {
  if (a.kind === 'inc') return b.kind === 'inc' || b.kind === 'dec' || b.kind === 'cdec';
  if (a.kind === 'cdec') return b.kind === 'inc' || b.kind === 'cdec';
  return a.kind === 'dec' && b.kind === 'inc';
}

/**
 * The signatures with every blind add taken as an ordinary write. A blind
 * add's kind holds at the state it was classified in, for the trace it runs
 * in (counters.ts); where an operation is judged for another context — a step
 * of a reversal moved before the race, a sleeping thread's operation held
 * against what runs after the state it was put to sleep in — it is ordered
 * with every update of its counter.
 */
export function ordinary(sigs: readonly OpSig[]): readonly OpSig[] {
  if (!sigs.some(isBlindAdd)) return sigs;
  return sigs.map((s) => (isBlindAdd(s) ? { obj: s.obj, kind: 'write' as const } : s));
}

/** Every object an operation touches (most touch one). */
export function opSigs(op: Visible): OpSig[] {
  const main = opSig(op);
  if (op.kind !== 'atomic' || op.also === undefined || op.also.length === 0) return [main];
  return [main, ...op.also.map((o) => ({ obj: o.obj[META].id, kind: o.access }))];
}

/** Whether two operations (each touching one or more objects) conflict on any of them. */
export function dependentAll(a: readonly OpSig[], b: readonly OpSig[]): boolean {
  for (const x of a) for (const y of b) if (dependent(x, y)) return true;
  return false;
}

export function opSig(op: Visible): OpSig {
  switch (op.kind) {
    case 'lock':
      return { obj: op.lock[META].id, kind: 'acquire' };
    case 'trylock':
      return { obj: op.lock[META].id, kind: 'trylock' };
    case 'unlock':
      return { obj: op.lock[META].id, kind: 'release' };
    case 'counter':
      return { obj: op.counter[META].id, kind: op.op === 'read' ? 'read' : 'write' };
    case 'atomic':
      return { obj: op.obj[META].id, kind: op.access };
    case 'free':
      return { obj: op.obj[META].id, kind: 'write' };
    case 'wait':
      return { obj: op.obj[META].id, kind: 'read' };
  }
}

/**
 * Whether two operations of different threads, both enabled in one state, may
 * give a different result in the other order (or disable one another).
 */
export function dependent(a: OpSig, b: OpSig): boolean {
  if (a.obj !== b.obj) return false;
  if (a.kind === 'read' && b.kind === 'read') return false;
  if (commutes(a, b)) return false;
  // A release and an acquire of one lock are never enabled together; two
  // releases of one lock neither. A trylock's answer depends on both.
  if (a.kind === 'release') return b.kind === 'trylock';
  if (b.kind === 'release') return a.kind === 'trylock';
  return true;
}
