import { META, type ObjMeta, type Tracked } from './object.js';
import type { Thread } from './thread.js';

/** Lock flavours the runtime distinguishes: whether a holder may sleep. */
export type LockKind = 'mutex' | 'spinlock';

/**
 * A non-recursive, owner-tracked lock. The runtime grants it to one thread at a
 * time; a thread whose next operation acquires a held lock is not enabled.
 * Lock *classes* (what lockdep reasons about) are named by the declaration the
 * model gives, e.g. the text of the field it initialises.
 */
export class Lock implements Tracked {
  readonly [META]: ObjMeta;
  /** Class name: every lock initialised from one declaration shares it. */
  readonly cls: string;
  readonly kind: LockKind;
  owner: Thread | null = null;
  /** The tracked object the lock is a field of, when it is one (set by alloc). */
  container: ObjMeta | null = null;

  constructor(meta: ObjMeta, cls: string, kind: LockKind) {
    this[META] = meta;
    this.cls = cls;
    this.kind = kind;
  }
}
