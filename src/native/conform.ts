/**
 * One scenario's conformance: the model's behaviours (every interleaving),
 * checked against the results the catalogue records on its ops, and — when
 * the live kernel is at hand — the live kernel's records, each of which must
 * be a behaviour the model allows and meet the recorded results too.
 * Programs with two or more threads are run live repeatedly and their
 * outcomes counted (a race has more than one legal outcome).
 */
import { VERSION_NAMES } from '../kernel/versions.js';
import type { ScenarioProgram } from '../scenario/program.js';
import { liveVsModel, vsCatalogue, type Divergence } from './compare.js';
import type { LiveExecutor, ResultRecord } from './live.js';
import { runModel, type ModelRun } from './model.js';
import { recordKey } from './recorder.js';
import { liveRefusals, type Refusal } from './support.js';

/** The kernel version the conformance model runs: the live host's (Linux 6.18). */
export const CONFORMANCE_VERSION = 'v6.18';

/** The version to model, and a note when CONFORMANCE_VERSION is not modelled (yet). */
export function conformanceVersion(): { readonly version: string; readonly note: string | null } {
  if (VERSION_NAMES.includes(CONFORMANCE_VERSION)) return { version: CONFORMANCE_VERSION, note: null };
  const newest = VERSION_NAMES[VERSION_NAMES.length - 1] ?? CONFORMANCE_VERSION;
  return { version: newest, note: `${CONFORMANCE_VERSION} is not modelled yet: using the newest modelled version, ${newest}` };
}

/** A live outcome and how many runs produced it. */
export interface Outcome {
  readonly record: ResultRecord;
  readonly count: number;
}

/** The live side of a scenario's conformance. */
export type LiveConformance =
  | { readonly kind: 'refused'; readonly refusals: readonly Refusal[] }
  | { readonly kind: 'error'; readonly message: string }
  | {
      readonly kind: 'ran';
      readonly runs: number;
      readonly outcomes: readonly Outcome[];
      /** The first run the model does not allow (left = model, right = live), with its run number (1-based). */
      readonly vsModel: { readonly run: number; readonly divergence: Divergence; readonly count: number } | null;
      /** The first recorded result a live run does not meet (left = recorded, right = live). */
      readonly vsCatalogue: Divergence | null;
      readonly leaks: readonly string[];
    };

/** One scenario's conformance result. */
export interface Conformance {
  readonly prog: ScenarioProgram;
  readonly version: string;
  readonly model: ModelRun;
  /** The first recorded result some model execution does not meet (left = recorded, right = model). */
  readonly modelVsCatalogue: Divergence | null;
  readonly live: LiveConformance | null;
}

/**
 * Whether a result shows a divergence, a model problem, a live error or a
 * leak. A bounded model exploration is not one: a live outcome it did not
 * reach may lie beyond the bound (reported as such, never as a difference).
 */
export function diverges(c: Conformance): boolean {
  if (c.modelVsCatalogue !== null || c.model.findings.length > 0) return true;
  const l = c.live;
  if (l === null || l.kind === 'refused') return false;
  return l.kind === 'error' || (l.vsModel !== null && c.model.complete) || l.vsCatalogue !== null || l.leaks.length > 0;
}

/** Whether the program runs more than one thread at once (its live outcome may vary between runs). */
export function concurrent(prog: ScenarioProgram): boolean {
  return prog.threads.length >= 2;
}

async function runLive(prog: ScenarioProgram, version: string, models: readonly ResultRecord[], live: LiveExecutor, runs: number): Promise<LiveConformance> {
  const refusals = liveRefusals(prog);
  if (refusals.length > 0) return { kind: 'refused', refusals };
  const outcomes = new Map<string, { record: ResultRecord; count: number; first: number }>();
  const leaks: string[] = [];
  const n = concurrent(prog) ? runs : 1;
  try {
    for (let run = 1; run <= n; run++) {
      const r = await live.run(prog);
      leaks.push(...r.leaks.map((l) => `run ${run}: ${l}`));
      const key = recordKey(r.records);
      const seen = outcomes.get(key);
      if (seen !== undefined) seen.count++;
      else outcomes.set(key, { record: r.records, count: 1, first: run });
    }
  } catch (e) {
    return { kind: 'error', message: (e as Error).message };
  }
  // Distinct outcomes in the order first seen: the first one the model does not allow is reported.
  let vsModel: { run: number; divergence: Divergence; count: number } | null = null;
  let vsCat: Divergence | null = null;
  for (const o of outcomes.values()) {
    vsCat ??= vsCatalogue(prog, version, o.record);
    const d = liveVsModel(prog, models, o.record);
    if (d === null) continue;
    if (vsModel === null) vsModel = { run: o.first, divergence: d, count: o.count };
    else vsModel.count += o.count;
  }
  const list = [...outcomes.values()].map(({ record, count }) => ({ record, count }));
  return { kind: 'ran', runs: n, outcomes: list, vsModel, vsCatalogue: vsCat, leaks };
}

/**
 * Conformance of one scenario on `version`; `live` (with the number of runs
 * for concurrent programs) adds the live kernel's side.
 */
export async function conformScenario(prog: ScenarioProgram, version: string, live: { executor: LiveExecutor; runs: number } | null): Promise<Conformance> {
  const model = runModel(prog, version);
  let modelVsCatalogue: Divergence | null = null;
  for (const r of model.records) {
    modelVsCatalogue = vsCatalogue(prog, version, r);
    if (modelVsCatalogue !== null) break;
  }
  const l = live === null ? null : await runLive(prog, version, model.records, live.executor, live.runs);
  return { prog, version, model, modelVsCatalogue, live: l };
}
