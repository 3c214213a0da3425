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
 */
import { Counter } from './counter.js';
import { Hash } from './fingerprint.js';
import { Lock } from './lock.js';
import { META, type Tracked } from './object.js';

/** One object's hash, avalanched for summing: its stable id, whether it is freed, and what it holds (a lock its owner, a counter its value). */
export function objectHash(o: Tracked): { a: number; b: number } {
  const meta = o[META];
  const h = new Hash().str(meta.sid).num(meta.freed ? 1 : 0);
  if (o instanceof Lock) h.value(o.owner === null ? null : o.owner.name);
  else if (o instanceof Counter) h.num(o.value);
  else for (const k of Object.keys(o)) h.str(k).value((o as unknown as Record<string, unknown>)[k], 1);
  return h.mixed();
}

export class StoreHash {
  /** The objects by id (ObjMeta.id): what was stored, never a proxy of it. */
  private readonly objects: Tracked[] = [];
  /** Each object's hash as last summed in, by object id (ObjMeta.id). */
  private readonly partA: number[] = [];
  private readonly partB: number[] = [];
  private readonly touched = new Set<number>();
  private sumA = 0;
  private sumB = 0;

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

  /** The store's hash now: the sum of its objects' hashes, each recomputed only if touched. */
  digest(): Hash {
    for (const id of this.touched) {
      const h = objectHash(this.objects[id] as Tracked);
      this.sumA = (this.sumA - (this.partA[id] ?? 0) + h.a) | 0;
      this.sumB = (this.sumB - (this.partB[id] ?? 0) + h.b) | 0;
      this.partA[id] = h.a;
      this.partB[id] = h.b;
    }
    this.touched.clear();
    const out = new Hash();
    out.a = this.sumA;
    out.b = this.sumB;
    return out;
  }

  /** The same sum, every object hashed afresh (what digest() must always agree with). */
  full(): Hash {
    let a = 0;
    let b = 0;
    for (const o of this.objects) {
      if (o === undefined) continue;
      const h = objectHash(o);
      a = (a + h.a) | 0;
      b = (b + h.b) | 0;
    }
    const out = new Hash();
    out.a = a;
    out.b = b;
    return out;
  }
}
