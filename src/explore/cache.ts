/**
 * The state cache of dpor (dpor.ts): the states explored from, each with the
 * sleep set it was explored under and a summary of the operations its
 * subtree performed. Operations are named by what holds across
 * interleavings — thread name, object stable id, access kind — and interned,
 * so a summary is a bit set.
 *
 * With symmetry (rt/symmetry.ts) a state is remembered under its canonical
 * image's fingerprint, so what it keeps is named as in that image: a sleep
 * set and a summary are renamed on the way in, and back on the way out
 * through the renaming of the state that looks them up.
 */
import type { SubtreeSummaries } from '../check/checker.js';
import type { AccessKind } from './independence.js';
import { invert, isIdentity, type Perm, type Symmetry } from '../rt/symmetry.js';
import { Bits } from './bits.js';
import { Interner } from './intern.js';

/** An operation of a summary, by names that hold across interleavings. */
export interface SummaryOp {
  readonly thread: string;
  readonly sid: string;
  readonly kind: AccessKind;
  /** A safe decrement's margin (counters.ts). */
  readonly margin?: number;
}

/** What a visited state leaves for later visits. */
export interface Visited {
  readonly sleep: readonly string[];
  readonly summary: Bits;
  /** The checkers' own summaries (Checker.subtree), one per checker that keeps them. */
  readonly future: readonly unknown[];
}

export class StateCache {
  private readonly visited = new Map<string, Visited>();
  private readonly ops = new Interner<SummaryOp>();
  /** Per renaming (by name): each operation's renamed id, as far as met. */
  private readonly renamings = new Map<string, number[]>();

  /** @param symmetry - interchangeable threads (states are then remembered in their canonical image's names). */
  constructor(private readonly symmetry: Symmetry | null = null) {}

  /** Distinct states explored from. */
  get size(): number {
    return this.visited.size;
  }

  /** The interned id of an operation (for summaries). */
  opId(thread: string, sid: string, kind: AccessKind, margin?: number): number {
    if (margin === undefined) return this.ops.id(`${thread}|${sid}|${kind}`, () => ({ thread, sid, kind }));
    return this.ops.id(`${thread}|${sid}|${kind}|${margin}`, () => ({ thread, sid, kind, margin }));
  }

  /**
   * A state fully explored under `sleep` (thread names); of two visits, the
   * one that explored more is kept. `perm`: how the state was renamed to its
   * canonical image when named (symmetry), null for not at all.
   */
  remember(key: string, sleep: readonly string[], summary: Bits, perm: Perm | null = null, future: readonly unknown[] = [], summaries: readonly SubtreeSummaries[] = []): void {
    const old = this.visited.get(key);
    if (old !== undefined && sleep.length >= old.sleep.length) return;
    const to = this.renaming(perm);
    this.visited.set(
      key,
      to === null
        ? { sleep, summary, future: summaries.map((s, j) => s.keep(future[j])) }
        : { sleep: sleep.map(to.rename), summary: this.renamed(summary, to), future: summaries.map((s, j) => s.rename(future[j], to.rename, to.key)) },
    );
  }

  /**
   * What an earlier visit of `key` explored: the threads it left asleep (it
   * explored every other enabled one) and its summary, named as in the state
   * that `perm` renamed to `key`'s canonical image; undefined if none.
   */
  lookup(key: string, perm: Perm | null = null, summaries: readonly SubtreeSummaries[] = []): Visited | undefined {
    const seen = this.visited.get(key);
    if (seen === undefined || perm === null) return seen;
    const back = this.renaming(invert(perm));
    if (back === null) return seen;
    return {
      sleep: seen.sleep.map(back.rename),
      summary: this.renamed(seen.summary, back),
      future: summaries.map((s, j) => s.rename(seen.future[j], back.rename, back.key)),
    };
  }

  /** A renaming of names (null: none, or nothing to rename), and its name. */
  private renaming(perm: Perm | null): { key: string; rename: (name: string) => string } | null {
    if (perm === null || this.symmetry === null || isIdentity(perm)) return null;
    return { key: perm.join(), rename: this.symmetry.renamer(perm) };
  }

  /**
   * `summary` with its operations renamed (symmetry: thread names and stable
   * ids); each renaming's translation of each operation is kept (the same
   * few renamings come back at every state).
   */
  private renamed(summary: Bits, how: { key: string; rename: (name: string) => string }): Bits {
    const rename = how.rename;
    let table = this.renamings.get(how.key);
    if (table === undefined) {
      table = [];
      this.renamings.set(how.key, table);
    }
    const out = new Bits();
    for (const id of summary) {
      let to = table[id];
      if (to === undefined) {
        const op = this.ops.at(id);
        to = this.opId(rename(op.thread), rename(op.sid), op.kind, op.margin);
        table[id] = to;
      }
      out.add(to);
    }
    return out;
  }

  /** The operations of a summary. */
  *opsOf(summary: Bits): Generator<SummaryOp> {
    for (const id of summary) yield this.ops.at(id);
  }
}
