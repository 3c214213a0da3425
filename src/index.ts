/**
 * kvmsim as a library. The usual path: load a scenario (YAML text or the
 * builder), check it on a kernel version, format the result.
 *
 * @example
 * ```ts
 * import { loadScenario, checkScenario, formatCheck } from 'kvmsim';
 * const r = loadScenario(yamlText, 'my.yaml');
 * if (r.ok) console.log(formatCheck(checkScenario(r.program, 'v6.2-rc5')));
 * ```
 */

// Scenarios
export { loadScenario, type ScenarioResult } from './scenario/load.js';
export { scenario, ScenarioBuilder, type ScenarioBuilderOptions, type HostInput } from './scenario/builder.js';
export { formatDiagnostic, DIAGNOSTIC_CODES, type Diagnostic, type DiagnosticCode } from './scenario/diagnostics.js';
export { scenarioJsonSchema } from './scenario/schema.js';
export type {
  ScenarioProgram,
  Syscall,
  IoctlArg,
  FdRef,
  Expectation,
  ExpectationSince,
  HostSpec,
  HostGroup,
  HostDevice,
  DriverName,
  ThreadSpec,
} from './scenario/program.js';

// Checking
export {
  checkScenario,
  runScenario,
  interleavingOf,
  defaultCheckers,
  type CheckOptions,
  type CheckResult,
  type RunResult,
  type StrategyName,
  finishCheck,
} from './api/check.js';
export { OptionsError, STRATEGY_NAMES, validateCheckOptions } from './api/options.js';
export { exploreShard, mergeShards, ShardMismatch, SHARD_FORMAT_VERSION, type ShardResult } from './api/shard.js';
export { parseShard, splitDepth, type Split } from './explore/split.js';
export { KERNEL_VERSIONS, VERSION_NAMES, SWITCH_COMMITS, kernelVersion, type KernelVersion, type KernelSwitches } from './kernel/versions.js';

// Results and reports
export type { Finding, FindingKind, RawFinding, ThreadInfo, ObjectInfo, HeldInfo, TraceLine } from './trace/finding.js';
export { encodeToken, decodeToken, encodeSchedule, decodeSchedule, type ReplayToken } from './trace/schedule.js';
export { formatCheck, formatFinding, formatRun, coverageLine, NO_COLOR, type Paint } from './report/text.js';
export { checkToJson, JSON_FORMAT_VERSION } from './report/json.js';
export { CheckJson, checkResultJsonSchemaText } from './report/schema.js';
export { checkToJunit } from './report/junit.js';

// The generic engine, for programs that are not the kernel model
export { Execution, type Program, type ExecStatus, type ExecutionOptions } from './rt/execution.js';
export { Thread, type Site } from './rt/thread.js';
export type { Gen, Visible } from './rt/ops.js';
export type { RtEvent, Listener } from './rt/events.js';
export { acquire, release, tryAcquire, counterOp, atomic, free, waitUntil, traced } from './rt/api.js';
export { explore, runOne, type ExploreOptions, type ExploreResult, type Progress } from './explore/explore.js';
export type { Strategy } from './explore/strategy.js';
export { DporStrategy, type DporOptions } from './explore/dpor.js';
export { Symmetry, type Perm, type RoleClass, type RoleSpec } from './rt/symmetry.js';
export { unordered, type UnorderedDecl, type UnorderedViolation } from './rt/unordered.js';
export { interchangeableRoles, interchangeableThreads } from './scenario/symmetry.js';
export { DfsStrategy } from './explore/dfs.js';
export { ReplayStrategy } from './explore/replay.js';
export { RoundRobinStrategy } from './explore/roundrobin.js';
export type { Checker, Absorbed, Coverage } from './check/checker.js';
export { DeadlockChecker } from './check/deadlock.js';
export { LifecycleChecker } from './check/lifecycle.js';
export { WarningChecker } from './check/warnings.js';
