/**
 * The terminal report: a header saying what was checked and how completely,
 * then each finding in the shape kernel developers read (a banner, the tasks
 * involved with their held locks and call traces innermost first), followed by
 * what the kernel never prints: the interleaving and the replay command.
 * Pure: colours are passed in.
 */
import type { CheckResult, RunResult } from '../api/check.js';
import type { Finding, ThreadInfo, TraceLine } from '../trace/finding.js';
import { formatLockdep, LOCKDEP_TITLES } from '../lockdep/report.js';
import { encodeToken } from '../trace/schedule.js';

/** Colour functions; identity when colour is off. */
export interface Paint {
  readonly red: (s: string) => string;
  readonly green: (s: string) => string;
  readonly yellow: (s: string) => string;
  readonly bold: (s: string) => string;
  readonly dim: (s: string) => string;
}

export const NO_COLOR: Paint = { red: (s) => s, green: (s) => s, yellow: (s) => s, bold: (s) => s, dim: (s) => s };

const BANNER = '='.repeat(54);
const RULE = '-'.repeat(54);

/**
 * "all 12 executions (complete, dfs)" or "12 executions (bounded: …)"; with
 * symmetry, "…, up to symmetry: a and b interchangeable" (one of each renaming
 * explored); with commuting atomics that left some counter updates unordered,
 * "…, commuting atomics: 40 of 52 counter updates".
 */
export function coverageLine(r: CheckResult): string {
  const n = `${r.executions} execution${r.executions === 1 ? '' : 's'}`;
  const states = r.states === undefined ? r.strategy : `${r.strategy}, ${r.states} distinct states`;
  const sym = r.symmetry === undefined ? states : `${states}, up to symmetry: ${r.symmetry}`;
  const c = r.commuting;
  const how = c === undefined || c.commuted === 0 ? sym : `${sym}, commuting atomics: ${c.commuted} of ${c.updates} counter updates`;
  if (r.complete) return `all ${n} (complete, ${how})`;
  return `${n} (${r.bound === null ? how : `bounded: ${r.bound}, ${how}`}) — not a proof`;
}

function task(t: ThreadInfo): string {
  return `${t.group}/${t.name}`;
}

function threadBlock(t: ThreadInfo): string[] {
  const out: string[] = [];
  if (t.waitingFor !== null) {
    const owner = t.waitingFor.owner === null ? 'nobody' : t.waitingFor.owner === t.name ? 'itself' : t.waitingFor.owner;
    out.push(`task ${task(t)} is blocked on lock ${t.waitingFor.lock}, held by ${owner}`);
    if (t.waitingFor.instance !== undefined) out.push(`  (the lock of ${t.waitingFor.instance})`);
  } else {
    out.push(`task ${task(t)}:`);
  }
  if (t.op !== null) {
    const at = t.site === null ? '' : ` at ${t.site.file}:${t.site.line}:${t.site.col}`;
    out.push(`  in system call: ${t.op}${at}`);
  }
  if (t.held.length > 0) {
    out.push(`  ${t.held.length} lock${t.held.length > 1 ? 's' : ''} held by ${task(t)}:`);
    t.held.forEach((h, i) => {
      out.push(`   #${i}: (${h.lock}), at: ${h.stack.at(-2) ?? h.stack.at(-1) ?? '?'}`);
      // lockdep prints the class; with two groups, which one is the second line.
      if (h.instance !== undefined) out.push(`       of ${h.instance}`);
    });
  }
  if (t.stack.length > 0) {
    out.push('  Call Trace:');
    for (const fn of [...t.stack].reverse()) out.push(`   ${fn}`);
  }
  return out;
}

/** The per-thread interleaving of user-level operations, one line per completed op. */
export function interleavingLines(lines: readonly TraceLine[]): string[] {
  const out: string[] = [];
  const open = new Map<string, string>();
  for (const l of lines) {
    if (l.kind === 'op-begin') open.set(l.thread, l.text);
    else if (l.kind === 'op-end') {
      open.delete(l.thread);
      out.push(`  ${l.thread.padEnd(12)} ${l.text}`);
    }
  }
  for (const [thread, text] of open) out.push(`  ${thread.padEnd(12)} ${text}   <- never returned`);
  return out;
}

/** The banner word a kernel developer expects for each kind of finding. */
const HEADLINE: Readonly<Record<Finding['kind'], string>> = {
  deadlock: 'BUG',
  'use-after-free': 'BUG',
  'double-free': 'BUG',
  'refcount-underflow': 'WARNING',
  'refcount-increment-from-zero': 'WARNING',
  leak: 'BUG',
  warning: '',
  expectation: 'UNEXPECTED RESULT',
  'step-limit': 'LIMIT',
  'model-crash': 'INTERNAL ERROR',
  // Lock-order findings carry lockdep's own banners (LOCKDEP_TITLES).
  'lockdep-recursive': '',
  'lockdep-circular': '',
  'lockdep-sleep-in-atomic': '',
  'lockdep-held-on-return': '',
  'lockdep-bad-unlock': '',
  'put-under-lock': '',
  'data-race': 'BUG',
  'unsound-reduction': 'NOT A PROOF',
};

function confirmationLine(f: Finding, r: { file: string; kernel: string }): string[] {
  const c = f.confirmation;
  if (c === undefined) return [];
  switch (c.status) {
    case 'confirmed':
      return ['', `confirmed: an explored schedule deadlocks — replay: kvmsim replay '${encodeToken({ file: r.file, kernel: r.kernel, schedule: c.schedule ?? [] })}'`];
    case 'unreachable':
      return ['', `not reachable in this model: every interleaving was explored (${c.executions} execution${c.executions === 1 ? '' : 's'}) and none deadlocks on these locks`];
    case 'unknown':
      return ['', `not confirmed: ${c.executions} execution${c.executions === 1 ? ' was' : 's were'} explored, not every interleaving, and none deadlocks on these locks`];
  }
}

/**
 * A use after free in KASAN's shape: the banner naming the function that made
 * the access, the access and the task, its stack, then who allocated and who
 * freed the object, each with its stack. No sizes or addresses: the model has
 * fields, not bytes.
 */
function kasanLines(f: Finding, access: NonNullable<Finding['access']>, paint: Paint): string[] | null {
  const t = f.threads[0];
  const o = f.objects[0];
  if (t === undefined || o === undefined) return null;
  const kind = access.kind === 'read' ? 'Read' : 'Write';
  const stack = (s: readonly string[]): string[] => [...s].reverse().map((fn) => ` ${fn}`);
  const [, ...rest] = threadBlock(t);
  return [
    BANNER,
    paint.bold(paint.red(`BUG: KASAN: slab-use-after-free in ${t.stack.at(-1) ?? '?'}`)),
    RULE,
    `${kind} of ${o.label}, field ${access.field}, by task ${task(t)}`,
    ...rest,
    '',
    `Allocated by task ${o.allocThread}:`,
    ...(o.allocStack.length === 0 ? [' (the scenario\'s host set-up)'] : stack(o.allocStack)),
    '',
    `Freed by task ${o.freeThread ?? '?'}:`,
    ...stack(o.freeStack ?? []),
  ];
}

export function formatFinding(f: Finding, r: { file: string; kernel: string }, paint: Paint = NO_COLOR): string {
  const head = HEADLINE[f.kind];
  const banner = f.lockdep !== undefined ? (LOCKDEP_TITLES[f.kind] ?? f.title) : head === '' ? f.title : `${head}: ${f.title}`;
  const kasan = f.access === undefined ? null : kasanLines(f, f.access, paint);
  const out: string[] = kasan ?? [BANNER, paint.bold(paint.red(banner)), RULE];
  if (f.lockdep !== undefined) out.push(...formatLockdep(f), ...confirmationLine(f, r));
  if (kasan === null) {
    for (const t of f.threads) out.push(...threadBlock(t));
    for (const o of f.objects) {
      out.push(`object ${o.label}: allocated by ${o.allocThread} in ${o.allocStack.at(-1) ?? '(setup)'}` +
        (o.freeStack === null ? '' : `, freed by ${o.freeThread ?? '?'} in ${o.freeStack.at(-1) ?? '?'}`));
    }
    for (const d of f.detail) out.push(d);
  }
  if (f.interleaving !== undefined && f.interleaving.length > 0) {
    out.push('', 'interleaving (system calls in the order they returned):', ...interleavingLines(f.interleaving));
  }
  out.push('', `seen in ${f.executions} execution${f.executions === 1 ? '' : 's'} (first: #${f.firstExecution}${f.shard === undefined ? '' : ` of shard ${f.shard}`})`);
  if (f.variants !== undefined) {
    const n = f.variants.count;
    out.push(`the same root cause seen in ${n} more variant${n === 1 ? '' : 's'}, folded here${f.variants.titles.length === 0 ? '' : ':'}`);
    for (const t of f.variants.titles) out.push(`  ${t}`);
  }
  if (f.preemptions !== undefined) {
    const n = `${f.preemptions} preemption${f.preemptions === 1 ? '' : 's'}`;
    out.push(
      f.preemptions === 0
        ? 'shortest explanation: no preemption (the threads run one after another)'
        : f.preemptionsMinimal === true
          ? `shortest explanation: ${n} (no schedule with fewer shows it)`
          : `shortest explanation found: ${n} (the searches with fewer were cut by their budget)`,
    );
  }
  out.push(`replay: ${paint.bold(`kvmsim replay '${encodeToken({ file: r.file, kernel: r.kernel, schedule: f.schedule })}'`)}`);
  return out.join('\n');
}

export function formatCheck(r: CheckResult, paint: Paint = NO_COLOR): string {
  const out: string[] = [
    `scenario: ${r.scenario} (${r.file})`,
    `kernel:   ${r.kernel}`,
    `explored: ${coverageLine(r)}`,
  ];
  if (r.statuses.deadlock > 0) out.push(`deadlock: ${r.statuses.deadlock} of ${r.executions} executions deadlock`);
  out.push(
    `verdict:  ${
      r.verdict === 'clean'
        ? paint.green('clean')
        : r.verdict === 'bounded'
          ? paint.yellow(`no findings within bound (${r.bound ?? r.strategy}) — not a proof`)
          : paint.red(`${r.findings.length} finding${r.findings.length === 1 ? '' : 's'} (in ${r.executionsWithFindings} of ${r.executions} executions)`)
    }`,
  );
  for (const f of r.findings) out.push('', formatFinding(f, r, paint));
  return out.join('\n');
}

export function formatRun(r: RunResult & { file: string }, paint: Paint = NO_COLOR): string {
  const out: string[] = [`scenario: ${r.scenario}`, `kernel:   ${r.kernel}`, ''];
  for (const l of r.trace) {
    const where = l.fn === null ? '' : paint.dim(`  (${l.fn})`);
    const text = l.kind === 'op-begin' ? paint.bold(`> ${l.text}`) : l.kind === 'op-end' ? paint.bold(`< ${l.text}`) : `  ${l.text}`;
    out.push(`${String(l.step).padStart(5)} ${l.thread.padEnd(12)} ${text}${where}`);
  }
  out.push('', `ended: ${r.status}`);
  for (const f of r.findings) out.push('', formatFinding(f, r, paint));
  return out.join('\n');
}
