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
import type { Finding, RawFinding } from '../trace/finding.js';

/** What a finding is, whoever shows it: its kind and root cause, or its signature where it has none. */
export function rootCauseKey(f: RawFinding): string {
  return `${f.kind}|${f.rootCause ?? f.signature}`;
}

/** Folds findings of one root cause into the first of them (in the order given). */
export function foldRootCauses(findings: readonly Finding[]): Finding[] {
  const groups = new Map<string, Finding[]>();
  for (const f of findings) {
    const key = rootCauseKey(f);
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
