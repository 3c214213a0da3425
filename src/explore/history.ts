/**
 * Per-object access histories of one dpor execution (dpor.ts): which earlier
 * operations a new one races with, what it is ordered after, and how it is
 * recorded. Locks have their own rules: an acquire races with the previous
 * acquire; a successful trylock with the last release too; a release with the
 * trylocks that failed before it.
 */
import { join, type VClock } from './clock.js';
import type { OpSig } from './independence.js';

/** One operation of the current execution: its step, its thread, its vector clock just after it, what it touched. */
export interface Event {
  readonly step: number;
  readonly tid: number;
  readonly clock: VClock;
  /** The objects the operation touched (for wakeup trees). */
  readonly sigs: readonly OpSig[];
}

/** What the explorer remembers of one object's accesses in the current execution. */
export interface ObjState {
  lastWrite: Event | null;
  /** Reads since the last write (blind adds do not retire them: they commute with each other, not with reads). */
  reads: Event[];
  /** A counter's blind increments since the last write (they commute with each other and with safe decrements). */
  incs: Event[];
  /** A counter's last uncovered safe decrement since the last write (ordered with every decrement). */
  lastDec: Event | null;
  /** A counter's covered decrements since the last write or uncovered decrement (they commute with each other). */
  cdecs: Event[];
  lastAcquire: Event | null;
  lastRelease: Event | null;
  /** Trylocks that failed since the last acquire: a release after them could have let them succeed. */
  failedTries: Event[];
}

/** The earlier operations on the object that `sig` may race with (dependent, and possibly unordered). */
export function racing(st: ObjState, sig: OpSig, success: boolean): Event[] {
  const out: Event[] = [];
  const push = (e: Event | null): void => {
    if (e !== null) out.push(e);
  };
  switch (sig.kind) {
    case 'write':
      push(st.lastWrite);
      out.push(...st.reads, ...st.incs, ...st.cdecs);
      push(st.lastDec);
      break;
    case 'read':
      push(st.lastWrite);
      out.push(...st.incs, ...st.cdecs);
      push(st.lastDec);
      break;
    case 'inc':
      push(st.lastWrite);
      out.push(...st.reads);
      break;
    case 'dec':
      push(st.lastWrite);
      out.push(...st.reads, ...st.cdecs);
      push(st.lastDec);
      break;
    case 'cdec':
      push(st.lastWrite);
      out.push(...st.reads);
      push(st.lastDec);
      break;
    case 'acquire':
      push(st.lastAcquire);
      break;
    case 'trylock':
      // Its answer depends on whether the holder has released yet.
      push(st.lastAcquire);
      if (success) push(st.lastRelease);
      break;
    case 'release':
      out.push(...st.failedTries);
      break;
  }
  return out;
}

/**
 * Joins into `clock` what an operation of kind `sig.kind` on an object in
 * state `st` is ordered after; `racers`: what racing() gave for it, when the
 * caller has it already (dpor's step has).
 */
export function synchronise(clock: VClock, sig: OpSig, st: ObjState, racers: readonly Event[] = racing(st, sig, true)): void {
  if (sig.kind === 'acquire' || sig.kind === 'trylock') {
    if (st.lastRelease !== null) join(clock, st.lastRelease.clock);
    if (st.lastAcquire !== null) join(clock, st.lastAcquire.clock);
  } else {
    // Whatever it may race with, it comes after (a release: the trylocks that saw the lock held).
    for (const e of racers) join(clock, e.clock);
  }
}

/** Records the event in the object's access history. */
export function record(st: ObjState, sig: OpSig, ev: Event, success: boolean): void {
  if (sig.kind === 'write') {
    st.lastWrite = ev;
    st.reads = [];
    st.incs = [];
    st.lastDec = null;
    st.cdecs = [];
  } else if (sig.kind === 'read') {
    st.reads.push(ev);
  } else if (sig.kind === 'inc') {
    st.incs.push(ev);
  } else if (sig.kind === 'dec') {
    st.lastDec = ev;
    st.cdecs = [];
  } else if (sig.kind === 'cdec') {
    st.cdecs.push(ev);
  } else if (sig.kind === 'release') {
    st.lastRelease = ev;
  } else if (success) {
    st.lastAcquire = ev;
    st.failedTries = [];
  } else {
    st.failedTries.push(ev);
  }
}
