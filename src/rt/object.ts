/**
 * The object store's view of one modelled object: identity, a human label and
 * its lifetime. The runtime owns this record; model code owns the object it
 * describes and reaches the record only through {@link META}.
 */
export interface ObjMeta {
  /** Allocation order within one execution (deterministic for one schedule). */
  readonly id: number;
  /** The object's kind, e.g. a struct name; what leak and UAF reports name. */
  readonly kind: string;
  /** A label that stays stable across schedules (kind plus a per-kind ordinal). */
  readonly label: string;
  /**
   * Identity across interleavings: the allocating thread and how many objects
   * it had allocated before. Two schedules that allocate the same objects in a
   * different global order give each the same `sid` (state fingerprints).
   */
  readonly sid: string;
  /** Set once by the runtime's free operation. */
  freed: boolean;
  /**
   * Whether the object counts for leak checking. Objects that exist before the
   * program starts (the host's fixtures) are not the program's to free.
   */
  readonly owned: boolean;
  /** Model call stack (outermost first) of the allocation. */
  readonly allocStack: readonly string[];
  /** Model call stack of the free, once freed. */
  freeStack: readonly string[] | null;
  /** Name of the thread that allocated / freed it. */
  readonly allocThread: string;
  freeThread: string | null;
}

/** Key under which every tracked object exposes its {@link ObjMeta}. */
export const META: unique symbol = Symbol('rt.meta');

/** Anything the runtime tracks: it carries its metadata under {@link META}. */
export interface Tracked {
  readonly [META]: ObjMeta;
}

/** Access kinds, as the checkers and the explorer classify them. */
export type Access = 'read' | 'write';

/** Reads the metadata of a tracked object (never counts as an access). */
export function metaOf(obj: Tracked): ObjMeta {
  return obj[META];
}
