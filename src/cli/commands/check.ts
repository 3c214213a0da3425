/** kvmsim check FILES… — explore every interleaving of each scenario on each kernel version. */
import { finishCheck, type CheckOptions, type CheckResult, type StrategyName } from '../../api/check.js';
import { exploreShard, SHARD_FORMAT_VERSION, type ShardResult } from '../../api/shard.js';
import { parseShard, splitDepth } from '../../explore/split.js';
import { VERSION_NAMES } from '../../kernel/versions.js';
import { writeFileSync } from 'node:fs';
import { checkToJson } from '../../report/json.js';
import { checkToJunit } from '../../report/junit.js';
import { describeSize, estimateSize, LARGE_LOG10, type SizeEstimate } from '../../api/estimate.js';
import { formatCheck } from '../../report/text.js';
import type { ScenarioProgram } from '../../scenario/program.js';
import { EXIT, paint, readScenario, scenarioFiles, UsageError } from '../io.js';
import { Progress } from '../progress.js';
import { CheckSession } from '../session.js';

export interface CheckFlags {
  readonly kernel?: string;
  readonly strategy: string;
  readonly json?: boolean;
  /** --junit FILE: JUnit XML written there too. */
  readonly junit?: string;
  readonly maxExecutions?: string;
  /** commander's --no-lockdep sets this to false. */
  readonly lockdep?: boolean;
  /** commander's --no-races sets this to false. */
  readonly races?: boolean;
  readonly timeBudget?: string;
  readonly seed?: string;
  readonly depth?: string;
  readonly workers?: string;
  readonly shard?: string;
  /** commander's --no-cache sets this to false. */
  readonly cache?: boolean;
  /** commander's --no-symmetry sets this to false. */
  readonly symmetry?: boolean;
  /** --commute: commuting atomics (off by default). */
  readonly commute?: boolean;
  readonly failFast?: boolean;
  readonly sample?: string;
}

/** pct samples before an exhaustive search when the check is bounded (by time or by its first finding) and --sample is not given. */
export const DEFAULT_SAMPLES = 100;

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

function parseCount(v: string | undefined, what: string, least = 1): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n < least) throw new UsageError(`kvmsim: ${what} takes a whole number ≥ ${least}, got "${v}"`);
  return n;
}

export async function checkCommand(files: readonly string[], flags: CheckFlags): Promise<number> {
  if (!STRATEGIES.includes(flags.strategy)) {
    throw new UsageError(`kvmsim: unknown strategy "${flags.strategy}" (known: ${STRATEGIES.join(', ')})`);
  }
  const seed = parseCount(flags.seed, '--seed');
  const depth = parseCount(flags.depth, '--depth');
  const maxExecutions = parseCount(flags.maxExecutions, '--max-executions');
  const budgetSeconds = parseCount(flags.timeBudget, '--time-budget');
  const workers = parseCount(flags.workers, '--workers');
  const sample = parseCount(flags.sample, '--sample', 0) ?? (flags.failFast === true || budgetSeconds !== undefined ? DEFAULT_SAMPLES : 0);
  const shard = flags.shard === undefined ? undefined : parseShard(flags.shard);
  if (shard === null) throw new UsageError(`kvmsim: --shard takes i/N with 1 ≤ i ≤ N (as CI matrices count), got "${flags.shard}"`);
  if ((workers !== undefined || shard !== undefined) && flags.strategy !== 'dpor') {
    throw new UsageError('kvmsim: --workers and --shard split a dpor exploration; they do not apply to --strategy ' + flags.strategy);
  }
  if ((workers !== undefined || shard !== undefined) && flags.failFast === true) {
    throw new UsageError('kvmsim: --fail-fast stops one exploration at its first finding; a split one (--workers, --shard) has no first');
  }
  if (workers !== undefined && shard !== undefined) throw new UsageError('kvmsim: --workers and --shard do not combine: run each shard with its own --workers-free command');
  const programs = scenarioFiles(files).map(readScenario);
  const opts: CheckOptions = {
    strategy: flags.strategy as StrategyName,
    ...(seed !== undefined ? { seed } : {}),
    ...(depth !== undefined ? { depth } : {}),
    lockdep: flags.lockdep !== false,
    races: flags.races !== false,
    ...(flags.cache === false ? { cache: false } : {}),
    ...(flags.symmetry === false ? { symmetry: false } : {}),
    ...(flags.commute === true ? { commute: true } : {}),
    ...(maxExecutions !== undefined ? { maxExecutions } : {}),
    ...(flags.failFast === true ? { failFast: true } : {}),
    // Shards and workers split one tree: every part would sample the same executions.
    ...(sample > 0 && workers === undefined && shard === undefined ? { sample } : {}),
  };
  const shards: ShardResult[] = [];
  const results: CheckResult[] = [];
  // A check the user already bounded, or a sampler, needs no warning that it may be long.
  const bounded = maxExecutions !== undefined || budgetSeconds !== undefined || flags.failFast === true || !['dpor', 'dfs'].includes(flags.strategy);
  // A plain check explores on a worker thread, so that Ctrl-C is heard (session.ts).
  const session = shard === undefined && workers === undefined ? new CheckSession() : null;
  // After Ctrl-C the rest of the run is not started: it is named instead.
  const skipped: string[] = [];
  try {
    for (const prog of programs) {
      for (const kernel of kernelsFor(prog, flags.kernel)) {
        if (session?.interrupted === true) {
          skipped.push(`${prog.name} @ ${kernel}`);
          continue;
        }
        if (bounded === false && shard === undefined) warnIfLarge(prog, kernel);
        const progress = new Progress(`${prog.name} @ ${kernel}`, budgetSeconds === undefined ? undefined : budgetSeconds * 1000);
        const onExecution = (p: Parameters<Progress['update']>[0]): true | string => progress.update(p);
        if (shard !== undefined) {
          shards.push(exploreShard(prog, kernel, { depth: splitDepth(shard.of), ...shard }, { ...opts, onExecution }));
        } else if (workers !== undefined) {
          const { exploreParallel } = await import('../parallel.js');
          const r = await exploreParallel({ file: prog.file, kernel, workers, lockdep: opts.lockdep ?? true, races: opts.races ?? true, ...(maxExecutions !== undefined ? { maxExecutions } : {}), onProgress: onExecution });
          results.push(finishCheck(prog, kernel, r, opts));
        } else if (session !== null) {
          const job = { file: prog.file, kernel, opts, ...(budgetSeconds !== undefined ? { budgetMs: budgetSeconds * 1000 } : {}) };
          results.push(await session.run(job, progress));
        }
        progress.done();
      }
    }
  } finally {
    await session?.close();
  }
  if (shard !== undefined) {
    // A shard's findings are not a verdict until merged: the exit code only says it ran.
    process.stdout.write(`${JSON.stringify({ format: 'kvmsim-shards', version: SHARD_FORMAT_VERSION, shards })}\n`);
    return EXIT.CLEAN;
  }
  const code = report(results, flags.json === true);
  // After the report: a path that cannot be written loses nothing that was printed.
  if (flags.junit !== undefined && !writeJunit(flags.junit, results)) return EXIT.BAD_INPUT;
  if (skipped.length > 0) process.stderr.write(`kvmsim: interrupted (Ctrl-C); not checked: ${skipped.join(', ')}\n`);
  return code;
}

/** Before a complete check: says on stderr when the scenario is large enough to be long, and how to bound it. */
function warnIfLarge(prog: ScenarioProgram, kernel: string): void {
  let size: SizeEstimate;
  try {
    size = estimateSize(prog, kernel);
  } catch {
    // The estimate's one execution failing is the check's to report.
    return;
  }
  if (size.log10Interleavings <= LARGE_LOG10) return;
  process.stderr.write(
    `kvmsim: ${prog.name} @ ${kernel}: ${describeSize(size)}; a complete check may take long — ` +
      '--time-budget S, --fail-fast or --max-executions N bound it (the verdict then says "bounded")\n',
  );
}

/** Writes the JUnit XML of `results` to `file`; says so on stderr and returns false where it cannot. */
function writeJunit(file: string, results: readonly CheckResult[]): boolean {
  try {
    writeFileSync(file, checkToJunit(results));
    return true;
  } catch (e) {
    process.stderr.write(`kvmsim: cannot write the JUnit report to ${file}: ${(e as Error).message}\n`);
    return false;
  }
}

/** Prints check results (text or JSON) and returns the exit code: 1 when anything was found. */
export function report(results: readonly CheckResult[], json: boolean): number {
  if (json) process.stdout.write(`${JSON.stringify(checkToJson(results), null, 2)}\n`);
  else process.stdout.write(`${results.map((r) => formatCheck(r, paint(process.stdout))).join('\n\n')}\n`);
  if (results.some((r) => r.verdict === 'findings')) return EXIT.FINDINGS;
  return results.some((r) => r.verdict === 'bounded') ? EXIT.BOUNDED : EXIT.CLEAN;
}
