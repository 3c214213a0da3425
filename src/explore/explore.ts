/**
 * The exploration loop: run executions one after another, each from the start,
 * letting the strategy choose at every choice point, and gather what the
 * checkers found. Stateless: nothing survives an execution but the strategy's
 * own bookkeeping and the findings.
 */
import type { Checker, Coverage } from '../check/checker.js';
import type { Listener } from '../rt/events.js';
import { Execution, type ExecStatus, type Program } from '../rt/execution.js';
import type { Visible } from '../rt/ops.js';
import type { Thread } from '../rt/thread.js';
import type { Finding } from '../trace/finding.js';
import type { Strategy } from './strategy.js';

export interface ExploreOptions {
  readonly strategy: Strategy;
  readonly checkers: readonly Checker[];
  /** Visible operations after which one execution is stopped (runaway guard). */
  readonly maxSteps?: number;
  /** Executions after which exploration stops (the result then says "bounded"). */
  readonly maxExecutions?: number;
  /** Extra listeners (trace recorders) attached to every execution. */
  readonly listeners?: readonly Listener[];
  /**
   * Called after every execution; returning false, or a string saying why,
   * stops exploration (time budgets and Ctrl-C live in the caller: the core
   * reads no clock).
   */
  readonly onExecution?: (progress: Progress) => boolean | string;
  /** Stop after the first execution in which a checker found something (the result then says "bounded"). */
  readonly failFast?: boolean;
}

export interface Progress {
  readonly executions: number;
  readonly findings: number;
  readonly steps: number;
  /** With state caching: distinct states so far. */
  readonly states?: number;
  /** Executions that ended in a deadlock so far. */
  readonly deadlocks?: number;
  /** Where the strategy can estimate it: the share of the tree explored (costly: call it when drawing). */
  readonly explored?: () => number;
}

export interface ExploreResult {
  readonly strategy: string;
  readonly executions: number;
  /** True when the strategy explored everything it set out to. */
  readonly complete: boolean;
  /** Why exploration stopped early, or null. */
  readonly bound: string | null;
  readonly findings: Finding[];
  /** Executions in which at least one checker found something. */
  readonly executionsWithFindings: number;
  readonly statuses: Readonly<Record<ExecStatus, number>>;
  /** Visible operations performed over all executions. */
  readonly steps: number;
  /** Which checker reported each finding (by signature): merging shards re-concludes each checker's own. */
  readonly checkerOf: Readonly<Record<string, string>>;
  /** With state caching: the distinct states explored from (executions stop at a state seen before). */
  readonly states?: number;
  /** With symmetry reduction: which threads were interchangeable (one of each renaming explored), as Symmetry.describe says. */
  readonly symmetry?: string;
  /** With commuting atomics: the counter updates run, and those left unordered with each other (explore/counters.ts). */
  readonly commuting?: { readonly updates: number; readonly commuted: number };
}

export const DEFAULT_MAX_STEPS = 100_000;

function isChecker(l: Listener): l is Checker {
  return typeof (l as Partial<Checker>).begin === 'function';
}

/** Runs one execution to its end under `strategy`; returns it with the choices made. */
export function runOne(
  program: Program,
  strategy: Strategy,
  listeners: readonly Listener[],
  maxSteps: number,
): { exec: Execution; choices: string[] } {
  const plainAccesses = listeners.some((l) => isChecker(l) && l.wantsPlainAccesses === true);
  const fingerprintParts = listeners
    .filter(isChecker)
    .flatMap((c) => (c.stateKey === undefined ? [] : [(rename: ((name: string) => string) | null): string => (c.stateKey as NonNullable<Checker['stateKey']>).call(c, rename)]));
  const exec = new Execution({ maxSteps, listeners, plainAccesses, fingerprints: strategy.fingerprints === true, fingerprintParts, symmetry: strategy.symmetry ?? null });
  if (strategy.fingerprints === true) strategy.summarisers?.(listeners.filter(isChecker).flatMap((c) => (c.subtree === undefined ? [] : [c.subtree])));
  for (const l of listeners) if (isChecker(l)) l.begin(exec);
  const choices: string[] = [];
  exec.start(program);
  strategy.begun?.(exec);
  let last: Thread | null = null;
  const every = strategy.everyStep === true;
  while (exec.status === 'running') {
    const enabled = exec.enabled();
    const t: Thread | null = enabled.length === 1 && !every ? (enabled[0] as Thread) : strategy.pick(enabled, last);
    if (t === null) {
      exec.prune(strategy.revisited === true ? 'cached' : 'pruned');
      break;
    }
    if (enabled.length > 1) choices.push(t.name);
    const op = t.pending as Visible;
    exec.step(t);
    strategy.stepped?.(exec, t, op);
    last = t;
  }
  strategy.ended?.(exec);
  return { exec, choices };
}

export function explore(program: Program, opts: ExploreOptions): ExploreResult {
  const { strategy, checkers } = opts;
  const maxSteps = opts.maxSteps ?? DEFAULT_MAX_STEPS;
  const maxExecutions = opts.maxExecutions ?? Number.POSITIVE_INFINITY;
  const listeners = [...checkers, ...(opts.listeners ?? [])];
  const bySignature = new Map<string, { finding: Finding; count: number; owner: Checker }>();
  const statuses: Record<ExecStatus, number> = { running: 0, done: 0, deadlock: 0, 'step-limit': 0, crashed: 0, pruned: 0, cached: 0 };
  let executions = 0;
  let withFindings = 0;
  let steps = 0;
  let bound: string | null = null;

  while (strategy.nextExecution()) {
    if (executions >= maxExecutions) {
      bound = `max executions (${maxExecutions})`;
      break;
    }
    const { exec, choices } = runOne(program, strategy, listeners, maxSteps);
    // Another shard's subtree: not this run's to count or judge.
    if (strategy.skipped === true) continue;
    executions++;
    steps += exec.steps;
    statuses[exec.status]++;
    let any = false;
    // "Seen in N executions" counts executions: a checker may report one finding twice in one (the
    // same lock cycle closed by two acquires), and it still counts once.
    const counted = new Set<string>();
    // A pruned execution is a prefix of one explored elsewhere: nothing to judge. (A cached one is judged:
    // only what would follow the state it reached was explored before.)
    for (const c of exec.status === 'pruned' ? [] : checkers) {
      for (const raw of c.end(exec, choices)) {
        any = true;
        const seen = bySignature.get(raw.signature);
        if (seen !== undefined) {
          if (!counted.has(raw.signature)) seen.count++;
        } else {
          bySignature.set(raw.signature, {
            finding: {
              ...raw,
              schedule: choices,
              executions: 0,
              firstExecution: executions,
              ...(strategy.subtree !== undefined && strategy.subtree >= 0 ? { subtree: strategy.subtree } : {}),
            },
            count: 1,
            owner: c,
          });
        }
        counted.add(raw.signature);
      }
    }
    if (any) withFindings++;
    if (any && opts.failFast === true) {
      bound = 'stopped at the first finding';
      break;
    }
    const go =
      opts.onExecution?.({
        executions,
        findings: bySignature.size,
        steps,
        deadlocks: statuses.deadlock,
        ...(strategy.fingerprints === true && strategy.states !== undefined ? { states: strategy.states } : {}),
        ...(strategy.progress !== undefined && strategy.exhaustive ? { explored: () => (strategy.progress as () => number).call(strategy) } : {}),
      }) ?? true;
    if (go !== true) {
      bound = typeof go === 'string' ? go : 'stopped';
      break;
    }
  }
  const complete = bound === null && strategy.exhausted && strategy.exhaustive;
  const checkerOf: Record<string, string> = {};
  for (const [sig, e] of bySignature) checkerOf[sig] = e.owner.name;
  const findings = concludeAll(
    checkers,
    [...bySignature.values()].map(({ finding, count }) => ({ ...finding, executions: count })),
    checkerOf,
    { executions, complete },
  );
  return {
    strategy: strategy.name,
    executions,
    complete,
    bound,
    findings,
    executionsWithFindings: withFindings,
    statuses,
    steps,
    checkerOf,
    ...(strategy.states !== undefined && strategy.fingerprints === true ? { states: strategy.states } : {}),
    ...(strategy.fingerprints === true && strategy.symmetry != null ? { symmetry: strategy.symmetry.describe() } : {}),
    ...(strategy.commuting !== undefined ? { commuting: { ...strategy.commuting } } : {}),
  };
}

/**
 * Conclusions over the whole exploration replace each concluding checker's own
 * findings; `checkerOf` (signature → checker name) is updated to match.
 */
export function concludeAll(
  checkers: readonly Checker[],
  found: readonly Finding[],
  checkerOf: Record<string, string>,
  coverage: Coverage,
): Finding[] {
  let findings = found.slice();
  for (const c of checkers) {
    if (c.conclude === undefined) continue;
    const concluded = c.conclude(findings, coverage);
    findings = [...findings.filter((f) => checkerOf[f.signature] !== c.name), ...concluded];
    for (const f of concluded) checkerOf[f.signature] = c.name;
  }
  return findings;
}
