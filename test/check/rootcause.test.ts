// One root cause, one finding (issue 16): a self-deadlock that other threads may queue behind, or that
// either of two threads may run into, is reported once, saying how many variants it stands for.
import { describe, expect, it } from 'vitest';
import { foldRootCauses } from '../../src/check/rootcause.js';
import { formatFinding } from '../../src/report/text.js';
import type { Finding } from '../../src/trace/finding.js';
import { check } from '../helpers/scenarios.js';

const finding = (title: string, signature: string, firstExecution: number, rootCause?: string): Finding => ({
  kind: 'deadlock',
  title,
  signature,
  ...(rootCause === undefined ? {} : { rootCause }),
  threads: [],
  objects: [],
  detail: [],
  schedule: [],
  executions: 1,
  firstExecution,
});

describe('folding findings by root cause', () => {
  it('keeps the variant met first, counts the others and names the titles that differ', () => {
    const folded = foldRootCauses([
      finding('a blocks on L', 'deadlock|a:L|b:L', 7, 'L:f<g'),
      finding('b blocks on L', 'deadlock|b:L', 3, 'L:f<g'),
      finding('a blocks on L', 'deadlock|a:L', 5, 'L:f<g'),
    ]);
    expect(folded).toHaveLength(1);
    expect(folded[0]?.firstExecution).toBe(3);
    expect(folded[0]?.variants).toEqual({ count: 2, titles: ['a blocks on L'] });
  });

  it('folds nothing of different root causes, or of none', () => {
    const findings = [finding('a', 'deadlock|a', 1, 'L:f'), finding('b', 'deadlock|b', 2, 'M:f'), finding('c', 'x', 3), finding('d', 'y', 4)];
    expect(foldRootCauses(findings)).toEqual(findings);
  });

  it('reports the deleter\'s self-deadlock of kvm-vfio-add-races-del once on v6.1, with its variant', () => {
    const r = check('kvm-vfio-add-races-del.yaml', 'v6.1', { minimise: false, confirmBudget: 0 });
    const self = r.findings.filter((f) => f.kind === 'deadlock' && f.title.startsWith('deadlock: deleter blocks on &group->group_lock'));
    expect(self).toHaveLength(1);
    expect(self[0]?.variants?.count).toBe(1);
    expect(formatFinding(self[0] as Finding, { file: r.file, kernel: r.kernel })).toContain('the same root cause seen in 1 more variant, folded here');
  });
});
