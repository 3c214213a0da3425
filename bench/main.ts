/**
 * npm run bench: exploration cost. The "explore" table compares plain dfs
 * with dpor on a lock-heavy litmus and shows what a check costs on each
 * shipped scenario and kernel version; the "users" table is the
 * device-users-N family against issue 13's targets, "twins" symmetry
 * reduction, "shared-fd" N threads on one fd, "reductions" each reduction
 * on and off on one workload of each kind; the "litmus" table compares
 * dfs and dpor with the number of Mazurkiewicz traces, counted by brute force;
 * then lockdep's cost and the model against the live kernel. Times are
 * wall-clock on this machine.
 *
 * Sections can be run alone, by name:
 *   node --expose-gc dist/bench/main.js [explore] [users] [twins] [shared-fd] [reductions] [litmus] [lockdep] [conform]
 * (or `npm run bench -- litmus`); no name runs them all.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkScenario } from '../src/api/check.js';
import { DeadlockChecker } from '../src/check/deadlock.js';
import { DfsStrategy } from '../src/explore/dfs.js';
import { DporStrategy } from '../src/explore/dpor.js';
import { explore } from '../src/explore/explore.js';
import type { Strategy } from '../src/explore/strategy.js';
import type { Program } from '../src/rt/execution.js';
import { loadScenario } from '../src/scenario/load.js';
import { conformBench } from './conform.js';
import { deviceUsers, deviceUsersYaml, sharedFd, twins } from './family.js';
import { lockHeavy, litmusSuite, type Litmus } from './litmus.js';
import { lockdepCost } from './lockdep.js';
import { collectTraces, type TraceCoverage } from './traces.js';
import { reductionsSection } from './reductions.js';
import { tableLines } from './table.js';

interface Row {
  family: string;
  size: string;
  strategy: string;
  executions: number;
  complete: boolean;
  ms: number;
}

function time<T>(f: () => T): { value: T; ms: number } {
  const t0 = performance.now();
  const value = f();
  return { value, ms: performance.now() - t0 };
}

function litmus(rows: Row[], family: string, size: string, p: Program, cap: number): void {
  for (const make of [(): Strategy => new DfsStrategy(), (): Strategy => new DporStrategy()]) {
    const s = make();
    const { value: r, ms } = time(() => explore(p, { strategy: s, checkers: [new DeadlockChecker()], maxExecutions: cap }));
    rows.push({ family, size, strategy: s.name, executions: r.executions, complete: r.complete, ms });
  }
}

/** The exploration-cost table: a lock-heavy litmus and every shipped scenario. */
function exploreSection(root: string): string[] {
  const rows: Row[] = [];
  for (const [k, m] of [
    [2, 2],
    [3, 2],
    [4, 1],
    [4, 2],
  ] as const) {
    litmus(rows, 'lock-heavy', `${k}x${m}`, lockHeavy(k, m), 200_000);
  }

  const dir = join(root, 'scenarios');
  const files = readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort();
  for (const f of files) {
    const r = loadScenario(readFileSync(join(dir, f), 'utf8'), `scenarios/${f}`);
    if (!r.ok) continue;
    for (const k of r.program.kernels) {
      for (const strategy of ['dfs', 'dpor'] as const) {
        const { value: c, ms } = time(() => checkScenario(r.program, k, { strategy, maxExecutions: 20_000, minimise: false, confirmBudget: 0 }));
        rows.push({ family: r.program.name, size: k, strategy, executions: c.executions, complete: c.complete, ms });
      }
    }
  }

  const header = ['family', 'size', 'strategy', 'executions', 'complete', 'ms', 'exec/s'];
  const table = rows.map((r) => [
    r.family,
    r.size,
    r.strategy,
    String(r.executions),
    r.complete ? 'yes' : 'no (bounded)',
    r.ms.toFixed(0),
    String(Math.round((r.executions / r.ms) * 1000)),
  ]);
  return tableLines(header, table);
}

/** Executions after which brute-force dfs gives up on a litmus program (the table then prints "—"). */
const LITMUS_DFS_CAP = 300_000;
/** The same for dpor: past this, a litmus program is out of reach for the comparison anyway. */
const LITMUS_DPOR_CAP = 300_000;

/**
 * The litmus table: for each synthetic program, its Mazurkiewicz traces
 * (brute force: every dfs interleaving, keyed by trace), the executions dfs
 * and dpor explore, and dpor's executions per trace — 1.00 is optimal.
 * dpor's executions include the ones it abandoned as redundant (sleep-set
 * blocked): they are work it did without reaching a new trace.
 */
function litmusSection(): string[] {
  const dash = '—';
  // A size a strategy could not finish makes every larger size of its family
  // out of reach for it too (more threads or more operations only add
  // interleavings and traces): skip those instead of paying the cap again.
  const outOfReach: { strategy: string; family: string; k: number; m: number }[] = [];
  const run = (strategy: Strategy, l: Litmus, cap: number): TraceCoverage | null => {
    const dominated = (o: (typeof outOfReach)[number]): boolean =>
      o.strategy === strategy.name && o.family === l.family && o.k <= l.k && o.m <= l.m;
    if (outOfReach.some(dominated)) return null;
    const c = collectTraces(l.program, strategy, cap);
    if (c.complete) return c;
    outOfReach.push({ strategy: strategy.name, family: l.family, k: l.k, m: l.m });
    return null;
  };
  const body: string[][] = [];
  const flagged: string[] = [];
  const t0 = performance.now();
  for (const l of litmusSuite()) {
    const dfs = run(new DfsStrategy(), l, LITMUS_DFS_CAP);
    const dpor = run(new DporStrategy(), l, LITMUS_DPOR_CAP);
    const traces = dfs?.keys.size ?? null;
    const notes: string[] = [];
    if (dfs !== null && dpor !== null) {
      if (dpor.executions > dfs.executions) notes.push('dpor > dfs');
      const missed = [...dfs.keys].filter((key) => !dpor.keys.has(key)).length;
      if (missed > 0) notes.push(`MISSED ${missed} traces`);
    }
    // Sleep sets should keep dpor from finishing two executions of one trace.
    const repeats = dpor === null ? 0 : dpor.executions - dpor.pruned - dpor.keys.size;
    if (repeats > 0) notes.push(`${repeats} repeated traces`);
    const ratio = traces !== null && dpor !== null ? dpor.executions / traces : null;
    const size = `${l.k}×${l.m}`;
    if (ratio !== null && ratio > 1) flagged.push(`${l.family} ${size} (${ratio.toFixed(2)})`);
    body.push([
      l.family,
      size,
      traces === null ? dash : String(traces),
      dfs === null ? dash : String(dfs.executions),
      dpor === null ? dash : String(dpor.executions),
      dpor === null ? dash : String(dpor.pruned),
      ratio === null ? dash : ratio.toFixed(2),
      notes.join('; '),
    ]);
  }
  const header = ['program', 'k×m', 'traces', 'dfs', 'dpor', 'dpor pruned', 'dpor/traces', 'note'];
  return [
    'litmus: Mazurkiewicz traces (brute force) vs executions explored; dpor counts pruned executions too',
    ...tableLines(header, body),
    `dfs capped at ${LITMUS_DFS_CAP} executions, dpor at ${LITMUS_DPOR_CAP} (${dash}: did not finish); ` +
      `${((performance.now() - t0) / 1000).toFixed(1)} s`,
    `dpor/traces > 1: ${flagged.length === 0 ? 'none' : flagged.join(', ')}`,
  ];
}

/** Wall-clock budget of one device-users row; a size that does not finish in it ends its column. */
const USERS_BUDGET_MS = 60_000;

/**
 * The device-users-N family (issue 13's targets): on v6.2, full verification
 * with the default check (every checker; dpor, state caching and symmetry —
 * with device symmetry, the users interchangeable with their devices), then
 * the same with --no-symmetry; on v6.2-rc5, the time to the first deadlock in process for pct
 * (depth 3, seed 1), dpor alone and dpor after its 100 pct samples, and end
 * to end — `kvmsim check --fail-fast` as a user runs it, start-up, the first
 * finding (whatever its kind) and its minimisation included. Peak RSS is the
 * process's so far (it only grows down the table).
 */
function usersSection(root: string): string[] {
  const body: string[][] = [];
  const dash = '—';
  const verifying = { symmetry: true, plain: true };
  const dir = mkdtempSync(join(tmpdir(), 'kvmsim-bench-'));
  for (let n = 1; n <= 10; n++) {
    const prog = deviceUsers(n);
    const row = [String(n)];
    for (const symmetry of [true, false]) {
      const which = symmetry ? 'symmetry' : 'plain';
      if (!verifying[which]) {
        row.push(dash, dash, dash, 'skipped', dash);
        continue;
      }
      const t0 = performance.now();
      const r = checkScenario(prog, 'v6.2', {
        symmetry,
        minimise: false,
        confirmBudget: 0,
        onExecution: () => (performance.now() - t0 > USERS_BUDGET_MS ? 'budget' : true),
      });
      const ms = performance.now() - t0;
      verifying[which] = r.complete;
      row.push(String(r.executions), String(r.states ?? dash), ((r.states ?? 0) / (ms / 1000)).toFixed(0), r.complete ? 'yes' : `no (${(USERS_BUDGET_MS / 1000).toFixed(0)} s)`, (ms / 1000).toFixed(2));
    }
    for (const [strategy, sample] of [
      ['pct', 0],
      ['dpor', 0],
      ['dpor', 100],
    ] as const) {
      const first = firstDeadlock(prog, strategy, sample);
      row.push(first === null ? `none in ${FIRST_BUDGET_MS / 1000} s` : `${(first.ms / 1000).toFixed(3)} s (#${first.execution})`);
    }
    const file = join(dir, `device-users-${n}.yaml`);
    writeFileSync(file, deviceUsersYaml(n));
    const t0 = performance.now();
    const cli = spawnSync(process.execPath, [join(root, 'bin', 'kvmsim.js'), 'check', file, '--kernel', 'v6.2-rc5', '--fail-fast', '--json'], { encoding: 'utf8' });
    const ms = performance.now() - t0;
    const first = (JSON.parse(cli.stdout) as { results: { findings: { kind: string }[] }[] }).results[0]?.findings[0]?.kind ?? 'none';
    row.push(`${(ms / 1000).toFixed(2)} s (${first})`);
    row.push(`${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB`);
    body.push(row);
  }
  const header = [
    'N',
    'v6.2 default: executions',
    'states',
    'states/s',
    'complete',
    'wall s',
    '--no-symmetry: executions',
    'states',
    'states/s',
    'complete',
    'wall s',
    'rc5 first deadlock: pct',
    'dpor',
    'dpor after 100 pct',
    'check --fail-fast, end to end',
    'peak RSS',
  ];
  return [
    'device-users-N: v6.2 full verification (every checker; dpor + state caching + symmetry, the default, then --no-symmetry); v6.2-rc5 time to first deadlock (in process) and to the first finding (end to end)',
    ...tableLines(header, body),
  ];
}

/**
 * The twins-N family (symmetry reduction): full verification on v6.2 (the
 * 9e0f4f2918c2 data race is found) and v6.6 (clean), every checker on (the
 * default), with symmetry and without. A size that does not finish in the
 * budget ends its column.
 */
function twinsSection(): string[] {
  const body: string[][] = [];
  const dash = '—';
  const going = new Map<string, boolean>();
  for (let n = 2; n <= 5; n++) {
    const prog = twins(n);
    const row = [String(n)];
    for (const kernel of ['v6.2', 'v6.6']) {
      for (const symmetry of [true, false]) {
        const col = `${kernel} ${symmetry}`;
        if (going.get(col) === false) {
          row.push(dash, dash, 'skipped');
          continue;
        }
        const t0 = performance.now();
        const r = checkScenario(prog, kernel, {
          symmetry,
          minimise: false,
          confirmBudget: 0,
          onExecution: () => (performance.now() - t0 > USERS_BUDGET_MS ? 'budget' : true),
        });
        const ms = performance.now() - t0;
        going.set(col, r.complete);
        row.push(String(r.executions), String(r.states ?? dash), r.complete ? `${(ms / 1000).toFixed(2)} s` : `no (${(USERS_BUDGET_MS / 1000).toFixed(0)} s)`);
      }
    }
    body.push(row);
  }
  const header = ['N'];
  for (const kernel of ['v6.2', 'v6.6']) for (const how of ['symmetry', 'no symmetry']) header.push(`${kernel} ${how}: executions`, 'states', 'complete in');
  return ['twins-N: N identical threads (FILE_ADD, FILE_DEL of one group), full verification with every checker, with and without symmetry reduction', ...tableLines(header, body)];
}

/**
 * The shared-fd-N family: N threads of one process each do one
 * KVM_GET_API_VERSION on the shared /dev/kvm fd, every checker on (the
 * default). Nothing in it depends on the order (issue 13's bar: N = 50 under
 * a second), but every fdget and fput is a reference count update on the
 * one struct file, so until such updates commute the orders are explored.
 */
function sharedFdSection(): string[] {
  const body: string[][] = [];
  let going = true;
  for (const n of [2, 4, 6, 8, 10, 12, 16, 20, 50]) {
    if (!going) {
      body.push([String(n), '—', '—', '—', 'skipped']);
      continue;
    }
    const t0 = performance.now();
    const r = checkScenario(sharedFd(n), 'v6.2', {
      minimise: false,
      confirmBudget: 0,
      onExecution: () => (performance.now() - t0 > USERS_BUDGET_MS ? 'budget' : true),
    });
    const s = (performance.now() - t0) / 1000;
    going = r.complete;
    const states = r.states ?? 0;
    body.push([String(n), String(r.executions), String(states), (states / s).toFixed(0), r.complete ? `${s.toFixed(2)} s` : `no (${(USERS_BUDGET_MS / 1000).toFixed(0)} s)`]);
  }
  return ['shared-fd-N: N threads each ask the shared /dev/kvm fd for KVM_GET_API_VERSION, v6.2, every checker', ...tableLines(['N', 'executions', 'states', 'states/s', 'complete in'], body)];
}

/** How long until some execution deadlocks (in process, from the compiled scenario), or null within the budget. */
const FIRST_BUDGET_MS = 10_000;
function firstDeadlock(prog: ReturnType<typeof deviceUsers>, strategy: 'pct' | 'dpor', sample: number): { ms: number; execution: number } | null {
  const t0 = performance.now();
  let deadlocked = false;
  const r = checkScenario(prog, 'v6.2-rc5', {
    strategy,
    depth: 3,
    sample,
    minimise: false,
    confirmBudget: 0,
    maxExecutions: 1_000_000,
    onExecution: (p) => {
      if (performance.now() - t0 > FIRST_BUDGET_MS) return 'budget';
      deadlocked = p.deadlocks !== undefined && p.deadlocks > 0;
      return deadlocked ? 'first deadlock' : true;
    },
  });
  return deadlocked ? { ms: performance.now() - t0, execution: r.executions } : null;
}

const SECTIONS = ['explore', 'users', 'twins', 'shared-fd', 'reductions', 'litmus', 'lockdep', 'conform'] as const;
type Section = (typeof SECTIONS)[number];
const isSection = (a: string): a is Section => (SECTIONS as readonly string[]).includes(a);

const args = process.argv.slice(2);
const unknown = args.filter((a) => !isSection(a));
if (unknown.length > 0) {
  console.error(`bench: unknown section ${unknown.join(', ')} (sections: ${SECTIONS.join(', ')})`);
  process.exit(2);
}
const want = (s: Section): boolean => args.length === 0 || args.includes(s);
const root = join(import.meta.dirname, '..', '..');
const rss = (): string => `peak RSS ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB; node ${process.version}`;
// Each section prints as soon as it is done: the whole run takes minutes.
let first = true;
const print = (lines: readonly string[]): void => {
  console.log(`${first ? '' : '\n'}${lines.join('\n')}`);
  first = false;
};
if (want('explore')) print([...exploreSection(root), '', rss()]);
if (want('users')) print([...usersSection(root), '', rss()]);
if (want('twins')) print([...twinsSection(), '', rss()]);
if (want('shared-fd')) print([...sharedFdSection(), '', rss()]);
if (want('reductions')) print([...reductionsSection(root), '', rss()]);
if (want('litmus')) print(litmusSection());
if (want('lockdep')) print(lockdepCost(root));
if (want('conform')) print(await conformBench());
