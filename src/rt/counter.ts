import { META, type ObjMeta, type Tracked } from './object.js';

/**
 * An atomic counter: the runtime's building block for reference counts. Its
 * value changes only through visible operations, so every change is a point
 * the explorer can reorder and the lifecycle checker can judge.
 */
export class Counter implements Tracked {
  readonly [META]: ObjMeta;
  /** What the counter counts, e.g. "users_count" of "struct kvm #1". */
  readonly name: string;
  private current: number;
  /** Told of every change (the execution's incremental fingerprint: storehash.ts). */
  onChange: ((c: Counter) => void) | null = null;

  constructor(meta: ObjMeta, name: string, initial: number) {
    this[META] = meta;
    this.name = name;
    this.current = initial;
  }

  get value(): number {
    return this.current;
  }

  set value(v: number) {
    this.current = v;
    this.onChange?.(this);
  }
}
