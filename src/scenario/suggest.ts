/**
 * "Did you mean …?" for diagnostics: the closest candidate by edit distance
 * (case-insensitive), when it is close enough to be a likely typo.
 */

function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      cur.push(Math.min((prev[j] ?? 0) + 1, (cur[j - 1] ?? 0) + 1, (prev[j - 1] ?? 0) + cost));
    }
    prev = cur;
  }
  return prev[b.length] ?? 0;
}

/** The candidate closest to `name`, if it is a plausible typo of it. */
export function closest(name: string, candidates: Iterable<string>): string | undefined {
  const n = name.toLowerCase();
  const limit = n.length <= 3 ? 1 : n.length <= 6 ? 2 : Math.floor(n.length / 3);
  let best: string | undefined;
  let bestD = Infinity;
  for (const c of candidates) {
    const d = distance(n, c.toLowerCase());
    if (d < bestD && d <= limit && c !== name) {
      best = c;
      bestD = d;
    }
  }
  return best;
}

/** ` (did you mean X?)` or the empty string. */
export function didYouMean(name: string, candidates: Iterable<string>): string {
  const c = closest(name, candidates);
  return c === undefined ? '' : ` (did you mean ${c}?)`;
}

/** `a, b, c` or `a, b, … (N more)` when the list is long. */
export function listNames(names: readonly string[], max = 12): string {
  if (names.length <= max) return names.join(', ');
  return `${names.slice(0, max).join(', ')}, … (${names.length - max} more)`;
}
