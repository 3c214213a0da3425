import { META, type ObjMeta, type Tracked } from './object.js';
import type { Blind, CounterFault } from './ops.js';

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

/** Whether `v` lies in a blind range (ops.ts `Blind`). */
export function inBlindRange(blind: Blind | undefined, v: number): blind is Blind {
  return blind !== undefined && v >= blind.from && v < blind.below;
}

/**
 * The memory ordering a counter operation had, having run at `before` with
 * this outcome: its declared blind order where its blind range holds the
 * value, else null (fully ordered). The declaration is checked here, in every
 * explored execution: the explorer has already treated the operation as
 * commuting, so an outcome that contradicts it is a defect of the model, not
 * a finding of the scenario.
 */
export function blindOrder(
  op: { readonly op: string; readonly counter: Counter; readonly blind?: Blind },
  before: number,
  after: number,
  result: unknown,
  fault: CounterFault | undefined,
): 'relaxed' | 'release' | null {
  const b = op.blind;
  if (!inBlindRange(b, before)) return null;
  if (after !== before + b.delta || result !== b.result || fault !== undefined) {
    throw new Error(
      `internal: ${op.counter.name} ${op.op} at ${before} gave ${after} (${String(result)}${fault === undefined ? '' : `, ${fault}`}), ` +
        `not the blind add of ${b.delta} returning ${String(b.result)} it declares for [${b.from}, ${b.below})`,
    );
  }
  return b.order;
}
