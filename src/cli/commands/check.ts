/** kvmsim check FILES… — explore every interleaving of each scenario on each kernel version. */
import { checkScenario, type CheckResult, type StrategyName } from '../../api/check.js';
import { VERSION_NAMES } from '../../kernel/versions.js';
import { checkToJson } from '../../report/json.js';
import { formatCheck } from '../../report/text.js';
import type { ScenarioProgram } from '../../scenario/program.js';
import { EXIT, paint, readScenario, UsageError } from '../io.js';
import { Progress } from '../progress.js';

export interface CheckFlags {
  readonly kernel?: string;
  readonly strategy: string;
  readonly json?: boolean;
  readonly maxExecutions?: string;
  /** commander's --no-lockdep sets this to false. */
  readonly lockdep?: boolean;
  /** commander's --no-races sets this to false. */
  readonly races?: boolean;
  readonly timeBudget?: string;
  readonly seed?: string;
  readonly depth?: string;
}

/** Strategies `check` offers: the exhaustive ones and the samplers. */
const STRATEGIES: readonly string[] = ['dpor', 'dfs', 'random', 'pct'];

/** The versions to check: --kernel (a version or "all"), else the scenario's own list. */
export function kernelsFor(prog: ScenarioProgram, flag: string | undefined): readonly string[] {
  if (flag === undefined) return prog.kernels;
  if (flag === 'all') return VERSION_NAMES;
  const names = flag.split(',');
  for (const n of names) {
    if (!VERSION_NAMES.includes(n)) throw new UsageError(`kvmsim: unknown kernel version "${n}" (known: ${VERSION_NAMES.join(', ')}, all)`);
  }
  return names;
}

function parseCount(v: string | undefined, what: string): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`kvmsim: ${what} takes a whole number ≥ 1, got "${v}"`);
  return n;
}

export function checkCommand(files: readonly string[], flags: CheckFlags): number {
  if (!STRATEGIES.includes(flags.strategy)) {
    throw new UsageError(`kvmsim: unknown strategy "${flags.strategy}" (known: ${STRATEGIES.join(', ')})`);
  }
  const seed = parseCount(flags.seed, '--seed');
  const depth = parseCount(flags.depth, '--depth');
  const maxExecutions = parseCount(flags.maxExecutions, '--max-executions');
  const budgetSeconds = parseCount(flags.timeBudget, '--time-budget');
  const programs = files.map(readScenario);
  const results: CheckResult[] = [];
  for (const prog of programs) {
    for (const kernel of kernelsFor(prog, flags.kernel)) {
      const progress = new Progress(`${prog.name} @ ${kernel}`, budgetSeconds === undefined ? undefined : budgetSeconds * 1000);
      results.push(
        checkScenario(prog, kernel, {
          strategy: flags.strategy as StrategyName,
          ...(seed !== undefined ? { seed } : {}),
          ...(depth !== undefined ? { depth } : {}),
          lockdep: flags.lockdep !== false,
          races: flags.races !== false,
          ...(maxExecutions !== undefined ? { maxExecutions } : {}),
          onExecution: (p) => progress.update(p),
        }),
      );
      progress.done();
    }
  }
  if (flags.json === true) process.stdout.write(`${JSON.stringify(checkToJson(results), null, 2)}\n`);
  else process.stdout.write(`${results.map((r) => formatCheck(r, paint(process.stdout))).join('\n\n')}\n`);
  return results.some((r) => r.verdict !== 'clean') ? EXIT.FINDINGS : EXIT.CLEAN;
}
