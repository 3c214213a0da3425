/**
 * Naming the states of one execution (state caching): what its threads
 * observe, and the fingerprint that the store's hash (storehash.ts), the
 * threads and the listeners' parts make up — with symmetry (symmetry.ts), of
 * the state's canonical image, and by which renaming it was reached.
 * Execution owns one when it computes fingerprints.
 */
import { Hash, stateFingerprint, type FingerprintPart } from './fingerprint.js';
import type { StoreHash } from './storehash.js';
import { Relative, type Perm, type Symmetry } from './symmetry.js';
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
  }

  /** The fingerprint of the state `threads` are in (Execution.fingerprint says what it covers). */
  fingerprint(threads: readonly Thread[]): string {
    this.renaming = this.canonical(threads);
    return stateFingerprint(this.store.digest(this.renaming), threads, this.parts, this.symmetry, this.renaming);
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
