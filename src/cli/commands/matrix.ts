/** kvmsim (no arguments): every shipped scenario on every version it names, as a verdict matrix. */
import { readdirSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
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
  if (r.verdict === 'bounded') return 'bounded';
  const kinds = new Set<string>(r.findings.map((f) => (f.kind.startsWith('lockdep-') || f.kind === 'put-under-lock' ? 'possible deadlock' : f.kind)));
  const worst = SEVERITY.find((k) => kinds.has(k)) ?? [...kinds][0] ?? 'findings';
  return kinds.size > 1 ? `${worst} +${kinds.size - 1}` : worst;
}

/** Most severe first: the cell names the worst kind and counts the others. */
const SEVERITY = [
  'deadlock',
  'use-after-free',
  'double-free',
  'data-race',
  'refcount-underflow',
  'refcount-increment-from-zero',
  'possible deadlock',
  'leak',
  'warning',
  'expectation',
  'unsound-reduction',
  'step-limit',
  'model-crash',
];

/**
 * The matrix is a report on the shipped reproductions of known bugs: the
 * deadlock cells are the point, so it exits 0 once it has run (1 is for
 * `check`, where a finding is news).
 */
export function matrixCommand(): number {
  const p = paint(process.stdout);
  const rows: { name: string; cells: Map<string, string> }[] = [];
  // Known-bug scenarios get a row each; a catalogue sub-folder (errno/,
  // conformance/) gets one row: how many of its scenarios are not clean.
  const catalogues = new Map<string, { n: number; bad: Map<string, number>; versions: Set<string> }>();
  const root = join(packageRoot(), 'scenarios');
  for (const file of shippedScenarios()) {
    const folder = dirname(relative(root, file));
    // The conformance catalogue is about agreeing with the live kernel: `kvmsim conform` runs it.
    if (folder.split(sep)[0] === 'conformance') continue;
    const prog = readScenario(displayPath(file));
    if (folder !== '.') {
      const c = catalogues.get(folder) ?? { n: 0, bad: new Map<string, number>(), versions: new Set<string>() };
      c.n++;
      for (const k of prog.kernels) {
        c.versions.add(k);
        if (checkScenario(prog, k).verdict !== 'clean') c.bad.set(k, (c.bad.get(k) ?? 0) + 1);
      }
      catalogues.set(folder, c);
      continue;
    }
    const cells = new Map<string, string>();
    for (const k of prog.kernels) cells.set(k, verdictCell(checkScenario(prog, k)));
    rows.push({ name: prog.name, cells });
  }
  for (const [folder, c] of catalogues) {
    const cells = new Map<string, string>();
    for (const k of c.versions) cells.set(k, c.bad.has(k) ? `${c.bad.get(k)} of ${c.n} not clean` : 'clean');
    rows.push({ name: `${folder}/ (${c.n} scenarios)`, cells });
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
    'each cell: every interleaving explored (dpor); the worst kind of finding, "+N" more kinds (kvmsim check FILE -k V',
    'for the reports). "deadlock": an explored execution deadlocks; "possible deadlock":',
    'lockdep or put-under-lock found a lock-order cycle no explored execution realises; "clean": none of those, and no',
    'use after free, refcount error, leak or unexpected result.',
    'The conformance catalogue (model against the live kernel) is `kvmsim conform [--live]`.',
  );
  process.stdout.write(`${out.join('\n')}\n`);
  return EXIT.CLEAN;
}
