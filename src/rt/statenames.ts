/**
 * Naming the states of one execution (state caching): what its threads
 * observe, and the fingerprint that the store's hash (storehash.ts), the
 * threads and the listeners' parts make up — with symmetry (symmetry.ts), of
 * the state's canonical image, and by which renaming it was reached.
 * Execution owns one when it computes fingerprints.
 */
import { Hash, stateFingerprint, type FingerprintPart } from './fingerprint.js';
import type { StoreHash } from './storehash.js';
import { blind, Relative, type Perm, type Symmetry } from './symmetry.js';
import type { Thread } from './thread.js';

export class StateNames {
  /** The renaming the last fingerprint applied (null: none). */
  renaming: Perm | null = null;

  constructor(
    private readonly store: StoreHash,
    private readonly symmetry: Symmetry | null,
    private readonly parts: readonly FingerprintPart[],
  ) {}

  /** Starts `t`'s observations afresh (with symmetry, relative to the roles they will name). */
  restart(t: Thread): void {
    t.obs = new Hash();
    if (this.symmetry === null) return;
    t.rel = new Relative(this.symmetry);
    t.obs.namer = t.rel.name;
    // Only a renaming of devices reorders a declared list (storehash.ts says the same of the store).
    if (this.symmetry.hasAliases) t.obs.blind = blind(t.rel, this.symmetry);
  }

  /** The fingerprint of the state `threads` are in (Execution.fingerprint says what it covers). */
  fingerprint(threads: readonly Thread[]): string {
    this.renaming = this.canonical(threads);
    return stateFingerprint(this.store.digest(this.renaming), threads, this.parts, this.symmetry, this.renaming);
  }

  /**
   * With device symmetry: where `t`'s observations stand before it searches
   * an order-insensitive list (Execution.search); null when nothing will be
   * forgotten.
   */
  mark(t: Thread): { a: number; b: number; slots: number } | null {
    if (this.symmetry === null || !this.symmetry.hasAliases) return null;
    return { a: t.obs.a, b: t.obs.b, slots: t.rel?.roles.length ?? 0 };
  }

  /**
   * The search is over: what `t` observed during it is forgotten, and only
   * what it found is remembered. Two states that are renamings of each other
   * search their lists in the lists' own orders — which, the devices
   * renamed, are not renamings of each other — and what they see on the way
   * differs though the result does not (the declaration, rt/unordered.ts,
   * which is checked); the thread's future depends on the result alone.
   */
  summarise(t: Thread, mark: { a: number; b: number; slots: number }, result: unknown): void {
    t.obs.a = mark.a;
    t.obs.b = mark.b;
    if (t.rel !== null) t.rel.roles.length = mark.slots;
    t.obs.num(20).value(result);
  }

  /** Whether the store's incremental hash agrees with hashing every object afresh (under the canonical renaming). */
  agrees(threads: readonly Thread[]): boolean {
    const perm = this.canonical(threads);
    const d = this.store.digest(perm);
    const f = this.store.full(perm);
    return d.a === f.a && d.b === f.b;
  }

  /**
   * With symmetry, the renaming to the state's canonical image: each class's
   * roles ordered by what no renaming changes — their thread's status and
   * what it observed (of the roles it names, only whether a slot is its own),
   * and the objects that name them (StoreHash.roleSignatures) — so two
   * renamings of one state order their roles alike, but for ties.
   */
  private canonical(threads: readonly Thread[]): Perm | null {
    const sym = this.symmetry;
    if (sym === null) return null;
    this.store.refresh();
    const objects = this.store.roleSignatures();
    return sym.canonical((role) => {
      const name = sym.roles[role] as string;
      const t = threads.find((x) => x.name === name);
      const h = new Hash().num(objects[role] ?? 0);
      if (t === undefined) return h.key();
      h.str(t.state).num(t.obs.a).num(t.obs.b).num(t.held.length);
      for (const r of t.rel?.roles ?? []) h.num(r === role ? 1 : 2);
      return h.key();
    });
  }
}
