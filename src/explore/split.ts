/**
 * Splitting one exhaustive exploration into shards that need not talk to each
 * other (a CI matrix, a Kubernetes indexed Job, worker threads): the first
 * `depth` branching points of the tree are explored in full — every awake
 * thread is tried there, so no race found further down can add a backtrack
 * point above them and every shard sees the same top of the tree — and the
 * subtrees hanging below them are dealt round-robin, in depth-first order, to
 * the shards. The shards together explore exactly what one run with the same
 * depth explores; each subtree is explored once, by its owner.
 */

export interface Split {
  /** Branching points explored in full before the tree is dealt out. */
  readonly depth: number;
  /** This shard, 0-based. */
  readonly shard: number;
  /** How many shards the tree is dealt to. */
  readonly of: number;
}

/**
 * The split depth for `shards` shards: enough branching points for the
 * round-robin deal to even out (each binary point doubles the subtrees).
 */
export function splitDepth(shards: number): number {
  return Math.ceil(Math.log2(Math.max(1, shards))) + 4;
}

/** Parses "i/N" (1-based, as CI matrices count) into a 0-based split, or null when malformed. */
export function parseShard(text: string): { shard: number; of: number } | null {
  const m = /^(\d+)\/(\d+)$/.exec(text.trim());
  if (m === null) return null;
  const i = Number(m[1]);
  const n = Number(m[2]);
  if (n < 1 || i < 1 || i > n) return null;
  return { shard: i - 1, of: n };
}

/**
 * One shard's side of a split, as the explorer walks the tree: counts the
 * branching points an execution passes, numbers the subtrees below the
 * frontier in the order they are entered (the same order in every shard),
 * and says where an execution must be abandoned because its subtree is
 * another shard's.
 */
export class Dealer {
  private tops = 0;
  private subtrees = 0;
  private owned = true;
  /** Whether the current execution was abandoned: another shard owns it. */
  skipped = false;
  /** The subtree the current execution belongs to. */
  subtree = -1;

  constructor(private readonly split: Split) {}

  /** A new execution starts from the root. */
  restart(): void {
    this.tops = 0;
    this.skipped = false;
  }

  /** A new node with `awake` threads to try: its index among the fully explored branching points, or -1. */
  topOf(awake: number): number {
    return awake > 1 && this.tops < this.split.depth ? this.tops++ : -1;
  }

  /** An execution replays a node made earlier. */
  passed(top: number): void {
    if (top >= 0) this.tops++;
  }

  /** A choice is made at a node for the first time: at the frontier, that starts a subtree. */
  chose(top: number): void {
    if (top === this.split.depth - 1) this.enter();
  }

  /** Whether the execution stops at this node: the frontier of a subtree another shard owns. */
  abandonAt(top: number): boolean {
    if (top !== this.split.depth - 1 || this.owned) return false;
    this.skipped = true;
    return true;
  }

  /**
   * The execution ended. One that ended above the frontier is a subtree of
   * its own. Returns whether it is another shard's (its results are not this
   * shard's to count).
   */
  ended(): boolean {
    if (this.skipped) return true;
    if (this.tops < this.split.depth) {
      this.enter();
      this.skipped = !this.owned;
    }
    return this.skipped;
  }

  private enter(): void {
    this.subtree = this.subtrees++;
    this.owned = this.subtree % this.split.of === this.split.shard;
  }
}
