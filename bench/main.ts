/**
 * npm run bench: exploration cost, as one table. Litmus programs (generic
 * engine) compare plain dfs with dpor; shipped scenarios show what a check
 * costs on each kernel version. Times are wall-clock on this machine.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { checkScenario } from '../src/api/check.js';
import { DeadlockChecker } from '../src/check/deadlock.js';
import { DfsStrategy } from '../src/explore/dfs.js';
import { DporStrategy } from '../src/explore/dpor.js';
import { explore } from '../src/explore/explore.js';
import type { Strategy } from '../src/explore/strategy.js';
import { acquire, atomic, release } from '../src/rt/api.js';
import type { Execution, Program } from '../src/rt/execution.js';
import { loadScenario } from '../src/scenario/load.js';
import { conformBench } from './conform.js';
import { deviceUsers } from './family.js';
import { lockdepCost } from './lockdep.js';

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

/** k threads, each: m private writes, then lock; shared write; unlock. */
function lockHeavy(k: number, m: number): Program {
  return {
    start(exec: Execution): void {
      const lock = exec.newLock('L', 'mutex');
      const shared = exec.alloc('shared', { v: 0 }, false);
      for (let i = 0; i < k; i++) {
        const mine = exec.alloc('private', { v: 0 }, false);
        exec.spawn(`t${i}`, 'p', function* () {
          for (let s = 0; s < m; s++) yield* atomic(mine, 'write', 'w', () => undefined);
          yield* acquire(lock);
          yield* atomic(shared, 'write', 'w', () => undefined);
          yield* release(lock);
        });
      }
    },
  };
}

function litmus(rows: Row[], family: string, size: string, p: Program, cap: number): void {
  for (const make of [(): Strategy => new DfsStrategy(), (): Strategy => new DporStrategy()]) {
    const s = make();
    const { value: r, ms } = time(() => explore(p, { strategy: s, checkers: [new DeadlockChecker()], maxExecutions: cap }));
    rows.push({ family, size, strategy: s.name, executions: r.executions, complete: r.complete, ms });
  }
}

const rows: Row[] = [];
for (const [k, m] of [
  [2, 2],
  [3, 2],
  [4, 1],
  [4, 2],
] as const) {
  litmus(rows, 'lock-heavy', `${k}x${m}`, lockHeavy(k, m), 200_000);
}

const root = join(import.meta.dirname, '..', '..');
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

// device-users-N: one thread tears the VM down while N threads open and close their own device.
for (const n of [1, 2]) {
  const prog = deviceUsers(n);
  for (const k of ['v6.2-rc5', 'v6.2']) {
    const { value: c, ms } = time(() => checkScenario(prog, k, { maxExecutions: 20_000, confirmBudget: 0, minimise: false }));
    rows.push({ family: prog.name, size: k, strategy: 'dpor', executions: c.executions, complete: c.complete, ms });
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
const widths = header.map((h, i) => Math.max(h.length, ...table.map((t) => (t[i] as string).length)));
const line = (cells: string[]): string => cells.map((c, i) => c.padEnd(widths[i] as number)).join('  ');
console.log(line(header));
console.log(line(widths.map((w) => '-'.repeat(w))));
for (const t of table) console.log(line(t));
console.log(`\npeak RSS ${(process.memoryUsage().rss / 2 ** 20).toFixed(0)} MiB; node ${process.version}`);
console.log(`\n${lockdepCost(root).join('\n')}`);
console.log(`\n${(await conformBench()).join('\n')}`);
