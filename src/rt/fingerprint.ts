/**
 * State fingerprints for state caching: a 64-bit hash (two 32-bit FNV-1a
 * lanes) of model values. References to tracked objects hash as the object's
 * stable id (its allocating thread and that thread's allocation count), never
 * by content or allocation order, so two interleavings that allocate the same
 * objects in different orders still reach the same fingerprint. Plain
 * containers (arrays, maps, sets, records) hash by content.
 *
 * Strings enter as their own 32-bit FNV-1a hash, so two different strings
 * collide once in four billion; two different states share a fingerprint with
 * probability about n²/2⁶⁵ for n states (a million states: one chance in
 * thirty-six million) plus what string collisions add.
 */
import { META } from './object.js';
import { unorderedDecl } from './unordered.js';
import type { Perm, Symmetry } from './symmetry.js';
import type { Thread } from './thread.js';

const PRIME = 16777619;
/** Per-string hashes (a pure cache: the same string always hashes the same). */
const STRINGS = new Map<string, number>();

/** A string's 32-bit FNV-1a hash. The same few strings (stable ids, field names) come back at every step: each is hashed once. */
export function stringHash(s: string): number {
  let x = STRINGS.get(s);
  if (x === undefined) {
    x = 0x811c9dc5;
    for (let i = 0; i < s.length; i++) x = Math.imul(x ^ s.charCodeAt(i), PRIME);
    x = Math.imul(x ^ s.length, PRIME);
    if (STRINGS.size < 1 << 16) STRINGS.set(s, x);
  }
  return x;
}

/** murmur3's 32-bit finaliser: every input bit affects every output bit. */
export function fmix32(x: number): number {
  let h = x | 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h;
}

/** An incremental 64-bit hash. */
export class Hash {
  a = 0x811c9dc5;
  b = 0x01000193;
  /**
   * With symmetry reduction (symmetry.ts): how names that may belong to an
   * interchangeable thread (thread names, stable ids, strings) enter the hash.
   */
  namer: ((name: string) => string) | null = null;
  /**
   * With symmetry, in an object's hash (storehash.ts): where a list declared
   * order-insensitive goes (unordered.ts) — its elements become parts of the
   * object's hash, summed, each relative to the roles it names alone.
   */
  unordered: ((list: readonly unknown[]) => void) | null = null;
  /**
   * With device symmetry, in what a thread observed (statenames.ts): how the
   * elements of an order-insensitive list are named — a role the thread has
   * already named by its slot, any other blind (Relative.blind) — so that
   * the list hashes as a multiset whichever renaming the state is named by.
   */
  blind: ((name: string) => string) | null = null;

  num(n: number): this {
    // Numbers mix as two 16-bit halves of their 32-bit image, plus a tag for non-integers.
    const x = Number.isInteger(n) ? n | 0 : Math.floor(n * 65536) ^ 0x5bd1e995;
    this.a = Math.imul(this.a ^ (x & 0xffff), PRIME);
    this.a = Math.imul(this.a ^ (x >>> 16), PRIME);
    this.b = Math.imul(this.b ^ (x >>> 16), 0x01000193 + 0x5a);
    this.b = Math.imul(this.b ^ (x & 0xffff), 0x01000193 + 0x5a);
    return this;
  }

  str(s: string): this {
    return this.num(stringHash(s));
  }

  /** A name that may belong to an interchangeable thread (a stable id, a thread's name): through the namer, if any. */
  name(s: string): this {
    return this.str(this.namer === null ? s : this.namer(s));
  }

  /** A model value: primitives, references to tracked objects (by stable id), plain containers by content. */
  value(v: unknown, depth = 0): this {
    switch (typeof v) {
      case 'undefined':
        return this.num(1);
      case 'boolean':
        return this.num(v ? 3 : 2);
      case 'number':
        return this.num(4).num(v);
      case 'string':
        return this.num(5).name(v);
      case 'bigint':
        return this.num(6).str(v.toString());
      case 'symbol':
        return this.num(7).str(String(v.description));
      case 'function':
        // Operation tables and callbacks: constant for a given model.
        return this.num(8).str(v.name);
      case 'object':
        break;
    }
    if (v === null) return this.num(9);
    const meta = (v as { [META]?: { sid: string } })[META];
    if (meta !== undefined) return this.num(10).name(meta.sid);
    const named = (v as { name?: unknown; steps?: unknown; frames?: unknown });
    // A thread (a lock's owner): by name.
    if (Array.isArray(named.frames) && typeof named.name === 'string' && typeof named.steps === 'number') return this.num(11).name(named.name);
    if (depth > 8) return this.num(12);
    if (Array.isArray(v)) {
      if (this.unordered !== null && unorderedDecl(v) !== undefined) {
        this.num(17).num(v.length);
        this.unordered(v);
        return this;
      }
      if (this.blind !== null && unorderedDecl(v) !== undefined) {
        let a = 0;
        let b = 0;
        for (const x of v) {
          const e = new Hash();
          e.namer = this.blind;
          const m = e.value(x, depth + 1).mixed();
          a = (a + m.a) | 0;
          b = (b + m.b) | 0;
        }
        return this.num(19).num(v.length).num(a).num(b);
      }
      this.num(13).num(v.length);
      for (const x of v) this.value(x, depth + 1);
      return this;
    }
    if (v instanceof Map) {
      this.num(14).num(v.size);
      for (const [k, x] of v) this.value(k, depth + 1).value(x, depth + 1);
      return this;
    }
    if (v instanceof Set) {
      this.num(15).num(v.size);
      for (const x of v) this.value(x, depth + 1);
      return this;
    }
    this.num(16);
    for (const k of Object.keys(v)) this.str(k).value((v as Record<string, unknown>)[k], depth + 1);
    return this;
  }

  /**
   * Each lane passed through murmur3's finaliser: what a sum of hashes
   * (an order-free combination) must add up. FNV's last step is an XOR and a
   * multiply, nearly linear in the low bits, so plain FNV hashes of (a, 3) and
   * (b, 2) can sum to the same as those of (a, 2) and (b, 3); avalanched ones
   * cannot, but by chance.
   */
  mixed(): { a: number; b: number } {
    return { a: fmix32(this.a), b: fmix32(this.b) };
  }

  /** The hash as a compact string key. */
  key(): string {
    return `${(this.a >>> 0).toString(36)}.${(this.b >>> 0).toString(36)}`;
  }
}

/** A listener's part of a fingerprint, its names passed through `rename` (null: no symmetry, or the identity). */
export type FingerprintPart = (rename: ((name: string) => string) | null) => string;

/**
 * The fingerprint of a state (Execution.fingerprint says what it covers):
 * the object store's hash (storehash.ts: every object's stable id, whether
 * freed, its contents; a lock's owner, a counter's value), every thread
 * (status, what it observed, the locks it holds), and what `parts` add.
 * With symmetry, all of it as renamed by `perm` (symmetry.ts): the
 * interchangeable threads in the places `perm` sends them to.
 */
export function stateFingerprint(
  objects: Hash,
  threads: readonly Thread[],
  parts: readonly FingerprintPart[],
  sym: Symmetry | null = null,
  perm: Perm | null = null,
): string {
  const h = new Hash().num(objects.a).num(objects.b);
  const rename = sym === null || perm === null ? null : sym.renamer(perm);
  const placed: Thread[] = [];
  for (const t of threads) {
    const role = sym?.roleOfThread(t.name);
    if (role !== undefined && perm !== null) placed[perm[role] as number] = t;
    else threadPart(h, t, rename, perm);
  }
  for (const t of placed) if (t !== undefined) threadPart(h, t, rename, perm);
  for (const part of parts) h.str(part(rename));
  return h.key();
}

function threadPart(h: Hash, t: Thread, rename: ((name: string) => string) | null, perm: Perm | null): void {
  // Not its steps: every step's result enters what it observed, which counts them until it forgets.
  h.str(rename === null ? t.name : rename(t.name)).str(t.state).num(t.obs.a).num(t.obs.b).num(t.held.length);
  // What it observed names roles by slot: which role each slot is.
  if (t.rel !== null) for (const r of t.rel.roles) h.num(perm === null ? r : (perm[r] as number));
  for (const x of t.held) {
    const sid = x.lock[META].sid;
    h.str(rename === null ? sid : rename(sid)).num(x.subclass);
  }
}
