/**
 * The object store's part of a state fingerprint, kept up to date as the
 * execution runs (the "incrementally hashed, O(1) per step", Zobrist
 * style): each object's hash (its stable id, whether freed, its contents) is
 * cached, the store's is the sum of them — so it depends on which objects
 * exist with what contents, not on the order they were allocated in — and
 * only objects touched since the last digest are hashed again.
 *
 * Who marks an object touched: the execution, for every field written through
 * its proxy, every field read whose value is a container (it may be changed
 * in place in the same step; a reference to a tracked object is not one), every lock operation and free; a counter marks
 * itself on every change. A model that kept a container fetched in one step
 * and changed it in a later one, without reading its field again, would go
 * unseen — the same discipline the fingerprint's observations rely on
 * (Execution.fingerprint); test/rt/storehash.test.ts checks every shipped
 * scenario keeps it.
 *
 * With symmetry (symmetry.ts), an object that names an interchangeable
 * thread (allocated by it, holding a reference to what it allocated, owned
 * by it) is hashed relative to the roles it names, and summed in under
 * whichever renaming the state is named by.
 */
import { Counter } from './counter.js';
import { fmix32, Hash } from './fingerprint.js';
import { Lock } from './lock.js';
import { META, type Tracked } from './object.js';
import { bound, Relative, type Perm, type Symmetry } from './symmetry.js';

/** A hash: final (`roles` null), or relative to the roles it names (symmetry.ts) with their list. */
export interface PartHash {
  readonly a: number;
  readonly b: number;
  readonly roles: readonly number[] | null;
}

/**
 * An object's hash: its own part, and with symmetry one part per element of
 * each order-insensitive list it holds (unordered.ts), each relative to the
 * roles it names alone — so the sum does not change when renaming devices
 * reorders such a list.
 */
export interface ObjectHash extends PartHash {
  readonly parts: readonly PartHash[];
}

/** An object's hash as the pieces to sum. */
function pieces(h: ObjectHash): readonly PartHash[] {
  return h.parts.length === 0 ? [h] : [h, ...h.parts];
}

/**
 * One object's hash, avalanched for summing: its stable id, whether it is
 * freed, and what it holds (a lock its owner, a counter its value). With
 * symmetry, an object that names an interchangeable thread's objects or the
 * thread itself is hashed relative to them.
 */
export function objectHash(o: Tracked, sym: Symmetry | null = null): ObjectHash {
  const meta = o[META];
  const h = new Hash();
  const rel = sym === null ? null : new Relative(sym);
  const parts: PartHash[] = [];
  if (rel !== null) h.namer = rel.name;
  // Only a renaming of devices reorders a declared list; without one, lists keep their order.
  if (sym !== null && sym.hasAliases) {
    let list = 0;
    h.unordered = (elements) => {
      list++;
      for (const x of elements) {
        // The element with where it sits (the object, which of its lists), its roles its own.
        const own = new Relative(sym);
        const p = new Hash();
        p.namer = own.name;
        p.num(18).name(meta.sid).num(list).value(x, 2);
        const m = p.mixed();
        parts.push({ a: m.a, b: m.b, roles: own.roles.length === 0 ? null : own.roles });
      }
    };
  }
  h.name(meta.sid).num(meta.freed ? 1 : 0);
  if (o instanceof Lock) h.value(o.owner === null ? null : o.owner);
  else if (o instanceof Counter) h.num(o.value);
  else for (const k of Object.keys(o)) h.str(k).value((o as unknown as Record<string, unknown>)[k], 1);
  const m = h.mixed();
  return { a: m.a, b: m.b, roles: rel === null || rel.roles.length === 0 ? null : rel.roles, parts };
}

export class StoreHash {
  /** The objects by id (ObjMeta.id): what was stored, never a proxy of it. */
  private readonly objects: Tracked[] = [];
  /** Each role-free object's hash as last summed in, by object id (ObjMeta.id). */
  private readonly partA: number[] = [];
  private readonly partB: number[] = [];
  /** Objects whose hash names roles: summed afresh under each renaming (few, and only with symmetry). */
  private readonly relative = new Map<number, ObjectHash>();
  private readonly touched = new Set<number>();
  private sumA = 0;
  private sumB = 0;

  constructor(private readonly sym: Symmetry | null = null) {}

  /** A new object: it is hashed at the next digest. */
  add(o: Tracked): void {
    const id = o[META].id;
    this.objects[id] = o;
    this.touched.add(id);
  }

  /** `o` (the object or a proxy of it) may have changed since the last digest. */
  touch(o: Tracked): void {
    this.touched.add(o[META].id);
  }

  /** Rehashes the objects touched since the last call. */
  refresh(): void {
    for (const id of this.touched) {
      const h = objectHash(this.objects[id] as Tracked, this.sym);
      this.sumA = (this.sumA - (this.partA[id] ?? 0)) | 0;
      this.sumB = (this.sumB - (this.partB[id] ?? 0)) | 0;
      const ps = pieces(h);
      if (ps.every((p) => p.roles === null)) {
        this.relative.delete(id);
        let a = 0;
        let b = 0;
        for (const p of ps) {
          a = (a + p.a) | 0;
          b = (b + p.b) | 0;
        }
        this.partA[id] = a;
        this.partB[id] = b;
        this.sumA = (this.sumA + a) | 0;
        this.sumB = (this.sumB + b) | 0;
      } else {
        this.relative.set(id, h);
        this.partA[id] = 0;
        this.partB[id] = 0;
      }
    }
    this.touched.clear();
  }

  /**
   * With symmetry, what the store says of each role that no renaming changes
   * (for ordering roles, Symmetry.canonical): the objects that name it, each
   * with the slot it has there. Call after refresh().
   */
  roleSignatures(): number[] {
    const sigs: number[] = [];
    for (const p of this.relative.values()) {
      for (const h of pieces(p))
        h.roles?.forEach((role, slot) => {
        sigs[role] = ((sigs[role] ?? 0) + fmix32(Math.imul(h.a ^ slot, 0x9e3779b1) + h.b)) | 0;
      });
    }
    return sigs;
  }

  /**
   * The store's hash now, under `perm` (with symmetry): the sum of its
   * objects' hashes, each recomputed only if touched.
   */
  digest(perm: Perm | null = null): Hash {
    this.refresh();
    const free = new Hash();
    free.a = this.sumA;
    free.b = this.sumB;
    return sum([free, ...[...this.relative.values()].flatMap(pieces)], perm);
  }

  /** The same sum, every object hashed afresh (what digest() must always agree with). */
  full(perm: Perm | null = null): Hash {
    return sum(
      this.objects.filter((o) => o !== undefined).flatMap((o) => pieces(objectHash(o, this.sym))),
      perm,
    );
  }
}

/** The sum of hashes, relative ones made absolute under `perm`. */
function sum(hashes: readonly { a: number; b: number; roles?: readonly number[] | null }[], perm: Perm | null): Hash {
  const out = new Hash();
  out.a = 0;
  out.b = 0;
  for (const h of hashes) {
    const m = h.roles === undefined || h.roles === null ? h : bound(h.a, h.b, h.roles, perm);
    out.a = (out.a + m.a) | 0;
    out.b = (out.b + m.b) | 0;
  }
  return out;
}
