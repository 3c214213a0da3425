/**
 * The library's main entry points: check a compiled scenario on one kernel
 * version (explore its interleavings with the default checkers), replay one
 * schedule, or run it once with a full trace.
 */
import type { Checker } from '../check/checker.js';
import { DeadlockChecker } from '../check/deadlock.js';
import { RaceChecker } from '../check/races.js';
import { LifecycleChecker } from '../check/lifecycle.js';
import { WarningChecker } from '../check/warnings.js';
import { PutUnderLockChecker } from '../lockdep/putlock.js';
import { LockdepChecker } from '../lockdep/validator.js';
import { DfsStrategy } from '../explore/dfs.js';
import { DporStrategy } from '../explore/dpor.js';
import { Symmetry } from '../rt/symmetry.js';
import { UnorderedChecker } from '../check/unordered.js';
import { foldRootCauses } from '../check/rootcause.js';
import { interchangeableRoles } from '../scenario/symmetry.js';
import { PctStrategy } from '../explore/pct.js';
import { RandomStrategy } from '../explore/random.js';
import { SampledStrategy } from '../explore/sampled.js';
import { explore, runOne, DEFAULT_MAX_STEPS, type ExploreOptions, type ExploreResult, type Progress } from '../explore/explore.js';
import type { Split } from '../explore/split.js';
import { ReplayError, ReplayStrategy } from '../explore/replay.js';
import { validateCheckOptions, type STRATEGY_NAMES } from './options.js';
import { RoundRobinStrategy } from '../explore/roundrobin.js';
import type { Strategy } from '../explore/strategy.js';
import { modelProgram } from '../kernel/userspace/program.js';
import { cycleClasses } from '../lockdep/confirm.js';
import { searchDeadlock } from './confirm.js';
import { minimisable, minimiseAll, type Minimised } from './minimise.js';
import { kernelVersion, type KernelVersion } from '../kernel/versions.js';
import type { ExecStatus } from '../rt/execution.js';
import type { ScenarioProgram } from '../scenario/program.js';
import type { Finding, TraceLine } from '../trace/finding.js';
import { TraceRecorder } from '../trace/recorder.js';

export type StrategyName = (typeof STRATEGY_NAMES)[number];

export interface CheckOptions {
  readonly strategy?: StrategyName;
  /** For the replay strategy: thread names at each choice point. */
  readonly schedule?: readonly string[];
  /** For random and pct: the seed (default 1). */
  readonly seed?: number;
  /** For pct: the bug depth d (default 3). */
  readonly depth?: number;
  readonly maxExecutions?: number;
  readonly maxSteps?: number;
  readonly onExecution?: (p: Progress) => boolean | string;
  /** lockdep and put-under-lock (default on). */
  readonly lockdep?: boolean;
  /** The data-race checker (default on). */
  readonly races?: boolean;
  /** Re-search each finding for the schedule with the fewest preemptions (default on). */
  readonly minimise?: boolean;
  /** Executions the directed search may spend confirming each unconfirmed potential deadlock (0: none). */
  readonly confirmBudget?: number;
  /**
   * State caching — an execution stops at a state already explored from
   * (dpor: default on; dfs: off unless asked). Checkers whose verdict
   * depends on the order of the past (the data-race checker) judge this
   * path against the cached subtree's summary (Checker.subtree).
   */
  readonly cache?: boolean;
  /**
   * dpor and dfs: seeded pct executions (depth `depth`, default 3) run first
   * (explore/sampled.ts), for findings in milliseconds where the exhaustive
   * search would reach them late. They add findings and executions, never
   * coverage. Default 0.
   */
  readonly sample?: number;
  /** Stop at the first execution with a finding (the result then says "bounded"). */
  readonly failFast?: boolean;
  /**
   * dpor with state caching: interchangeable threads (one process, the same
   * ops) are explored once per renaming of them (rt/symmetry.ts). Default on.
   */
  readonly symmetry?: boolean;
  /**
   * dpor: commuting atomics (explore/counters.ts) — blind adds of one counter
   * (reference gets and puts that do not reach zero) are not reordered
   * against each other. Default off: sound (property-tested against dfs), but
   * on the shipped scenarios and benchmark families it saves under 3% of the
   * states for more time per step (README, Benchmarks).
   */
  readonly commute?: boolean;
}

/** Default number of executions of the sampling strategies (random, pct). */
export const SAMPLES = 1000;

/**
 * A check stopped at its first finding is asked for an answer now: its
 * finding's proof of fewest preemptions gets a quarter of the usual budget
 * (the greedy simplification runs in full either way).
 */
export const FAIL_FAST_MINIMISE_STEPS = 50_000;

/** Default budget of the directed confirmation search. */
export const CONFIRM_BUDGET = 10_000;

export interface CheckResult extends ExploreResult {
  readonly scenario: string;
  readonly file: string;
  readonly kernel: string;
  /**
   * 'clean': every interleaving explored, nothing found — a proof within the
   * scenario; 'findings'; 'bounded': nothing found, but the exploration was
   * bounded (sampling, a budget, Ctrl-C) — not a proof.
   */
  readonly verdict: 'clean' | 'findings' | 'bounded';
}

/**
 * The checkers of a check: deadlock, lifecycle and warnings always; data
 * races unless `races` is false; lockdep and put-under-lock (sharing one
 * dependency graph) unless `lockdep` is false.
 */
export function defaultCheckers(lockdep = true, races = true): Checker[] {
  // UnorderedChecker speaks only where device symmetry's declarations are checked (rt/unordered.ts).
  const base: Checker[] = [new DeadlockChecker(), new LifecycleChecker(), new WarningChecker(), new UnorderedChecker()];
  if (races) base.push(new RaceChecker());
  if (!lockdep) return base;
  const ld = new LockdepChecker();
  return [...base, ld, new PutUnderLockChecker(ld.graph)];
}

function versionOf(name: string): KernelVersion {
  const v = kernelVersion(name);
  if (v === undefined) throw new Error(`unknown kernel version "${name}"`);
  return v;
}

/** The symmetry a check of `prog` may reduce by (null: none, or not asked for). */
export function symmetryOf(prog: ScenarioProgram, opts: CheckOptions): Symmetry | null {
  if (opts.symmetry === false) return null;
  const classes = interchangeableRoles(prog);
  return classes.length === 0 ? null : new Symmetry(classes);
}

function strategyOf(opts: CheckOptions, symmetry: Symmetry | null): Strategy {
  const main = baseStrategy(opts, symmetry);
  const samples = opts.sample ?? 0;
  if (samples <= 0 || !main.exhaustive) return main;
  return new SampledStrategy(new PctStrategy(opts.seed ?? 1, opts.depth ?? 3), samples, main);
}

function baseStrategy(opts: CheckOptions, symmetry: Symmetry | null): Strategy {
  switch (opts.strategy ?? 'dpor') {
    case 'dpor':
      return new DporStrategy({ cache: opts.cache ?? true, symmetry, commute: opts.commute === true });
    case 'dfs':
      // The oracle: every interleaving unless state caching is asked for.
      return new DfsStrategy(Number.POSITIVE_INFINITY, opts.cache === true);
    case 'random':
      return new RandomStrategy(opts.seed ?? 1);
    case 'pct':
      return new PctStrategy(opts.seed ?? 1, opts.depth ?? 3);
    case 'replay':
      return new ReplayStrategy(opts.schedule ?? []);
    case 'round-robin':
      return new RoundRobinStrategy();
  }
}

/** The user-level interleaving of one schedule (for reports). */
export function interleavingOf(prog: ScenarioProgram, kernel: string, schedule: readonly string[]): TraceLine[] {
  const rec = new TraceRecorder(true);
  runOne(modelProgram(prog, versionOf(kernel)), new ReplayStrategy(schedule), [rec], DEFAULT_MAX_STEPS);
  return rec.lines;
}

/** Explores `prog` on `kernel` and reports what the checkers found, each finding with its interleaving. */
export function checkScenario(prog: ScenarioProgram, kernel: string, opts: CheckOptions = {}): CheckResult {
  validateCheckOptions(opts);
  const checkers = defaultCheckers(opts.lockdep ?? true, opts.races ?? true);
  const r = explore(modelProgram(prog, versionOf(kernel)), exploreOptions(opts, checkers, undefined, symmetryOf(prog, opts)));
  return finishCheck(prog, kernel, r, opts);
}

/**
 * The explorer's options for a check (the split, when given, makes it one
 * shard's share; shards share no cache, so no symmetry either).
 */
export function exploreOptions(opts: CheckOptions, checkers: Checker[], split?: Split, symmetry: Symmetry | null = null): ExploreOptions {
  return {
    strategy: split === undefined ? strategyOf(opts, symmetry) : new DporStrategy({ split, commute: opts.commute === true }),
    checkers,
    ...(opts.maxSteps !== undefined ? { maxSteps: opts.maxSteps } : {}),
    // Sampling strategies never run out: they stop at the execution bound.
    ...(opts.maxExecutions !== undefined
      ? { maxExecutions: opts.maxExecutions }
      : opts.strategy === 'random' || opts.strategy === 'pct'
        ? { maxExecutions: SAMPLES }
        : {}),
    ...(opts.onExecution !== undefined ? { onExecution: opts.onExecution } : {}),
    ...(opts.failFast === true ? { failFast: true } : {}),
  };
}

/**
 * Turns an exploration's findings into a check's: each explained by the
 * schedule with the fewest context switches that shows it and its
 * interleaving, and each potential deadlock a bounded exploration left
 * unconfirmed searched for directly.
 */
export function finishCheck(prog: ScenarioProgram, kernel: string, r: ExploreResult, opts: CheckOptions): CheckResult {
  const program = modelProgram(prog, versionOf(kernel));
  const folded = foldRootCauses(r.findings);
  const wanted = opts.minimise === false ? [] : folded.filter(minimisable).map((f) => ({ signature: f.signature, from: f.schedule }));
  const smallest = wanted.length === 0 ? new Map<string, Minimised>() : minimiseAll(program, () => defaultCheckers(opts.lockdep ?? true, opts.races ?? true), wanted, opts.failFast === true ? { steps: FAIL_FAST_MINIMISE_STEPS } : {});
  const findings: Finding[] = folded.map((found) => {
    const small = smallest.get(found.signature);
    const f = small === undefined ? found : { ...found, schedule: small.schedule, preemptions: small.preemptions, preemptionsMinimal: small.provenMinimal };
    const withTrace = { ...f, interleaving: interleavingOf(prog, kernel, f.schedule) };
    // A bounded check left a potential deadlock unconfirmed: search for it.
    if (f.confirmation?.status !== 'unknown' || (opts.confirmBudget ?? CONFIRM_BUDGET) <= 0) return withTrace;
    return { ...withTrace, confirmation: searchDeadlock(program, cycleClasses(f), opts.confirmBudget ?? CONFIRM_BUDGET) };
  });
  return {
    ...r,
    findings,
    scenario: prog.name,
    file: prog.file,
    kernel,
    verdict: findings.length > 0 ? 'findings' : r.complete ? 'clean' : 'bounded',
  };
}

export interface RunResult {
  readonly scenario: string;
  readonly kernel: string;
  readonly status: ExecStatus;
  readonly schedule: readonly string[];
  readonly trace: readonly TraceLine[];
  readonly findings: readonly Finding[];
}

/** One execution (round-robin, or the given schedule) with its full trace. */
export function runScenario(prog: ScenarioProgram, kernel: string, schedule?: readonly string[]): RunResult {
  const rec = new TraceRecorder(false);
  const checkers = defaultCheckers();
  const strategy = schedule === undefined ? new RoundRobinStrategy() : new ReplayStrategy(schedule);
  strategy.nextExecution();
  const { exec, choices } = runOne(modelProgram(prog, versionOf(kernel)), strategy, [...checkers, rec], DEFAULT_MAX_STEPS);
  // A schedule longer than the execution's choices names a run that does not exist (a token edited by
  // hand, or from another version of the scenario): replaying a prefix of it would show something else.
  if (strategy instanceof ReplayStrategy && strategy.unused > 0) {
    throw new ReplayError(
      `the execution ended (${exec.status}) after ${choices.length} choice point${choices.length === 1 ? '' : 's'}; ` +
        `the schedule names ${strategy.unused} more, from "${schedule?.[choices.length] ?? ''}" at choice ${choices.length + 1}`,
    );
  }
  let findings: Finding[] = [];
  for (const c of checkers) {
    findings.push(...c.end(exec, choices).map((raw) => ({ ...raw, schedule: choices, executions: 1, firstExecution: 1 })));
  }
  for (const c of checkers) {
    if (c.conclude === undefined) continue;
    const concluded = c.conclude(findings, { executions: 1, complete: false });
    findings = [...findings.filter((f) => !concluded.some((x) => x.signature === f.signature)), ...concluded];
  }
  return { scenario: prog.name, kernel, status: exec.status, schedule: choices, trace: rec.lines, findings };
}
