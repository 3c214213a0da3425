/** kvmsim (no arguments): every shipped scenario on every version it names, as a verdict matrix. */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { checkScenario, type CheckResult } from '../../api/check.js';
import { VERSION_NAMES } from '../../kernel/versions.js';
import { EXIT, packageRoot, paint, readScenario, displayPath } from '../io.js';

/** Shipped scenario files (scenarios/ and its sub-folders), sorted. */
export function shippedScenarios(): string[] {
  const root = join(packageRoot(), 'scenarios');
  return readdirSync(root, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.yaml'))
    .sort()
    .map((f) => join(root, f));
}

/**
 * A cell: "clean"; "deadlock" when an explored execution deadlocks;
 * "possible deadlock" when only lock-order analysis (lockdep, put-under-lock)
 * found one; otherwise the finding kinds.
 */
export function verdictCell(r: CheckResult): string {
  if (r.verdict === 'clean') return 'clean';
  const kinds = new Set(r.findings.map((f) => f.kind));
  if (kinds.has('deadlock')) return 'deadlock';
  const rest = [...kinds].filter((k) => !k.startsWith('lockdep-') && k !== 'put-under-lock');
  if (rest.length === 0) return 'possible deadlock';
  return rest.join(', ');
}

/**
 * The matrix is a report on the shipped reproductions of known bugs: the
 * deadlock cells are the point, so it exits 0 once it has run (1 is for
 * `check`, where a finding is news).
 */
export function matrixCommand(): number {
  const p = paint(process.stdout);
  const rows: { name: string; cells: Map<string, string> }[] = [];
  for (const file of shippedScenarios()) {
    const prog = readScenario(displayPath(file));
    const cells = new Map<string, string>();
    for (const k of prog.kernels) {
      const r = checkScenario(prog, k);
      cells.set(k, verdictCell(r));
    }
    rows.push({ name: prog.name, cells });
  }
  const nameW = Math.max(8, ...rows.map((r) => r.name.length));
  const colW = Math.max(...VERSION_NAMES.map((v) => v.length), ...rows.flatMap((r) => [...r.cells.values()].map((c) => c.length)));
  const line = (name: string, cells: string[]): string => `${name.padEnd(nameW)}  ${cells.map((c) => c.padEnd(colW)).join('  ')}`.trimEnd();
  const out = [p.bold(line('scenario', [...VERSION_NAMES])), line('-'.repeat(nameW), VERSION_NAMES.map(() => '-'.repeat(colW)))];
  for (const r of rows) {
    const cells = VERSION_NAMES.map((v) => r.cells.get(v) ?? '-');
    const painted = line(r.name, cells)
      .replace(/\bclean\b/g, p.green('clean'))
      .replace(/\b(possible )?deadlock\b/g, (m) => p.red(m));
    out.push(painted);
  }
  out.push(
    '',
    'each cell: every interleaving explored (dpor). "deadlock": an explored execution deadlocks; "possible deadlock":',
    'lockdep or put-under-lock found a lock-order cycle no explored execution realises; "clean": none of those, and no',
    'use after free, refcount error, leak or unexpected result.',
  );
  process.stdout.write(`${out.join('\n')}\n`);
  return EXIT.CLEAN;
}
