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
