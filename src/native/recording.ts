/**
 * Live answers recorded into the repository (issue 14: "machines without
 * /dev/kvm still check fidelity"). `kvmsim conform --live --record` writes,
 * per catalogue scenario run live, what the running kernel answered — every
 * distinct outcome of its runs, with how many runs gave it, and `uname -r` —
 * beside the scenario: scenarios/conformance/live/NAME.json. The test suite
 * holds the model to every recording on every run (recordedVsModel).
 */
import type { ScenarioProgram } from '../scenario/program.js';
import { liveVsModel, vsCatalogue, type Divergence } from './compare.js';
import type { Outcome } from './conform.js';
import type { ResultRecord } from './live.js';
import type { ModelRun } from './model.js';

export const RECORDING_FORMAT_VERSION = 1;

/** A recording as stored (JSON). */
export interface Recording {
  readonly format: 'kvmsim-live-record';
  readonly version: number;
  /** The scenario file, as the catalogue names it. */
  readonly scenario: string;
  /** `uname -r` of the kernel that answered. */
  readonly kernel: string;
  readonly runs: number;
  /** Each distinct outcome: every thread's results in order (setup under "setup"), and how many runs gave it. */
  readonly outcomes: readonly { readonly count: number; readonly results: Readonly<Record<string, readonly string[]>> }[];
}

/** The recording of a live conformance run. */
export function toRecording(scenario: string, kernel: string, runs: number, outcomes: readonly Outcome[]): Recording {
  return {
    format: 'kvmsim-live-record',
    version: RECORDING_FORMAT_VERSION,
    scenario,
    kernel,
    runs,
    outcomes: outcomes.map((o) => ({ count: o.count, results: Object.fromEntries(o.record) })),
  };
}

/** A stored recording, checked for shape; throws on anything else. */
export function parseRecording(text: string, where: string): Recording {
  const r = JSON.parse(text) as Partial<Recording>;
  if (r.format !== 'kvmsim-live-record' || r.version !== RECORDING_FORMAT_VERSION || !Array.isArray(r.outcomes) || typeof r.scenario !== 'string' || typeof r.kernel !== 'string') {
    throw new Error(`${where}: not a kvmsim live recording (format kvmsim-live-record, version ${RECORDING_FORMAT_VERSION})`);
  }
  return r as Recording;
}

/** A recorded outcome as the comparison reads it. */
export function recordOf(o: Recording['outcomes'][number]): ResultRecord {
  return new Map(Object.entries(o.results));
}

/**
 * The first recorded outcome the model does not allow, or that misses a
 * result the catalogue states (left = model or recorded, right = the
 * kernel's answer); null when the model allows every one.
 */
export function recordedVsModel(prog: ScenarioProgram, version: string, model: ModelRun, rec: Recording): Divergence | null {
  for (const o of rec.outcomes) {
    const record = recordOf(o);
    const d = liveVsModel(prog, model.records, record) ?? vsCatalogue(prog, version, record);
    if (d !== null) return d;
  }
  return null;
}
