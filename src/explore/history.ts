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
  reads: Event[];
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
      out.push(...st.reads);
      break;
    case 'read':
      push(st.lastWrite);
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

/** Joins into `clock` what an operation of kind `sig.kind` on an object in state `st` is ordered after. */
export function synchronise(clock: VClock, sig: OpSig, st: ObjState): void {
  if (sig.kind === 'write') {
    if (st.lastWrite !== null) join(clock, st.lastWrite.clock);
    for (const r of st.reads) join(clock, r.clock);
  } else if (sig.kind === 'read') {
    if (st.lastWrite !== null) join(clock, st.lastWrite.clock);
  } else if (sig.kind === 'acquire' || sig.kind === 'trylock') {
    if (st.lastRelease !== null) join(clock, st.lastRelease.clock);
    if (st.lastAcquire !== null) join(clock, st.lastAcquire.clock);
  } else {
    // A release comes after the trylocks that saw the lock held.
    for (const f of st.failedTries) join(clock, f.clock);
  }
}

/** Records the event in the object's access history. */
export function record(st: ObjState, sig: OpSig, ev: Event, success: boolean): void {
  if (sig.kind === 'write') {
    st.lastWrite = ev;
    st.reads = [];
  } else if (sig.kind === 'read') {
    st.reads.push(ev);
  } else if (sig.kind === 'release') {
    st.lastRelease = ev;
  } else if (success) {
    st.lastAcquire = ev;
    st.failedTries = [];
  } else {
    st.failedTries.push(ev);
  }
}
