/**
 * The "reductions" table (issue 13's bar: each reduction on and off, side by
 * side in one run): one workload of each kind — a shipped scenario, the
 * device-users and twins families, shared-fd — explored with the default
 * check (every checker, dpor with state caching and symmetry), then with
 * each reduction switched the other way: no state caching, no symmetry,
 * commuting atomics on (opt-in). A run that does not finish in the budget
 * says so; the verdict column shows that every finishing run agrees.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { checkScenario, type CheckOptions } from '../src/api/check.js';
import { loadScenario } from '../src/scenario/load.js';
import type { ScenarioProgram } from '../src/scenario/program.js';
import { deviceUsers, sharedFd, twins } from './family.js';
import { tableLines } from './table.js';

/** Wall-clock budget of one run. */
const BUDGET_MS = 60_000;

const VARIANTS: readonly { readonly name: string; readonly opts: CheckOptions }[] = [
  { name: 'default', opts: {} },
  { name: '--no-cache', opts: { cache: false } },
  { name: '--no-symmetry', opts: { symmetry: false } },
  { name: '--commute', opts: { commute: true } },
];

function shipped(root: string, file: string): ScenarioProgram {
  const r = loadScenario(readFileSync(join(root, 'scenarios', file), 'utf8'), `scenarios/${file}`);
  if (!r.ok) throw new Error(`bench: scenarios/${file} does not load`);
  return r.program;
}

export function reductionsSection(root: string): string[] {
  const workloads: readonly { readonly name: string; readonly prog: ScenarioProgram; readonly kernel: string }[] = [
    { name: 'kvm-vfio-add-races-del', prog: shipped(root, 'kvm-vfio-add-races-del.yaml'), kernel: 'v6.2' },
    { name: 'device-users-2', prog: deviceUsers(2), kernel: 'v6.2' },
    { name: 'twins-3', prog: twins(3), kernel: 'v6.6' },
    { name: 'shared-fd-8', prog: sharedFd(8), kernel: 'v6.2' },
  ];
  const body: string[][] = [];
  for (const w of workloads) {
    for (const v of VARIANTS) {
      const t0 = performance.now();
      const r = checkScenario(w.prog, w.kernel, {
        ...v.opts,
        minimise: false,
        confirmBudget: 0,
        onExecution: () => (performance.now() - t0 > BUDGET_MS ? 'budget' : true),
      });
      const s = (performance.now() - t0) / 1000;
      const verdict = r.findings.length === 0 ? 'clean' : `${r.findings.length} finding${r.findings.length === 1 ? '' : 's'}`;
      body.push([
        `${w.name} ${w.kernel}`,
        v.name,
        String(r.executions),
        String(r.states ?? '—'),
        r.complete ? `${s.toFixed(2)} s` : `no (${BUDGET_MS / 1000} s)`,
        r.complete ? verdict : '—',
      ]);
    }
  }
  return [
    'reductions: each one switched the other way from the default check (every checker), one workload of each kind',
    ...tableLines(['workload', 'run', 'executions', 'states', 'complete in', 'verdict'], body),
  ];
}
