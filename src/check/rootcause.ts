/**
 * One root cause, one finding (issue 16: "one root cause becomes many
 * findings"). Checkers tell executions apart by signature — which threads,
 * which bystanders, which stacks — so that a replay shows exactly the one
 * reported; a reader wants the bug once. A finding may carry a root-cause key
 * (RawFinding.rootCause: a self-deadlock's lock and stack whoever runs it,
 * whichever other threads queue behind it); findings that share one are
 * folded into the one met first, which keeps its replay and says how many
 * variants it stands for and what they were called.
 */
import type { Finding } from '../trace/finding.js';

/** Folds findings of one root cause into the first of them (in the order given). */
export function foldRootCauses(findings: readonly Finding[]): Finding[] {
  const groups = new Map<string, Finding[]>();
  for (const f of findings) {
    const key = f.rootCause === undefined ? `signature ${f.signature}` : `${f.kind} ${f.rootCause}`;
    const g = groups.get(key);
    if (g === undefined) groups.set(key, [f]);
    else g.push(f);
  }
  return [...groups.values()].map((g) => {
    const first = g.reduce((a, b) => (b.firstExecution < a.firstExecution ? b : a));
    if (g.length === 1) return first;
    const others = g.filter((f) => f !== first);
    const titles = [...new Set(others.map((f) => f.title).filter((t) => t !== first.title))];
    return { ...first, variants: { count: others.length, titles } };
  });
}
