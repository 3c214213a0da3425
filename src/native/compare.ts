/**
 * Comparing result records: model against live kernel, and either against the
 * results the catalogue records on its ops (`= 0`, `= -1 EBUSY`). A
 * divergence names the first op, in program order (setup, then each thread as
 * declared), whose results differ.
 */
import { VERSION_NAMES } from '../kernel/versions.js';
import type { ScenarioProgram, Syscall } from '../scenario/program.js';
import type { ResultRecord } from './live.js';
import { opsByThread } from './model.js';

/** The first op whose two results differ. */
export interface Divergence {
  readonly thread: string;
  /** 0-based index of the op in its thread. */
  readonly index: number;
  readonly op: Syscall | null;
  readonly left: string;
  readonly right: string;
}

/** What a thread's op did not produce because the thread never got there. */
export const NOT_RUN = '(not run)';

/** The result part of a record ("0 fd=5" → "0"): what a stated result speaks about. */
export function resultPart(record: string): string {
  return record.replace(/ fd=\d+$/, '');
}

/** The result `op` states for `version` (the last `since` at or before it, else the plain one), or null. */
export function statedResult(op: Syscall, version: string): string | null {
  const order = VERSION_NAMES.indexOf(version);
  let e = op.expect;
  for (const s of op.expectSince) if (VERSION_NAMES.indexOf(s.version) <= order) e = s.expect;
  if (e === null) return null;
  return 'ret' in e ? String(e.ret) : `-1 ${e.errno}`;
}

/** The first op where `a` and `b` differ, or null when they are equal. */
export function firstDivergence(prog: ScenarioProgram, a: ResultRecord, b: ResultRecord): Divergence | null {
  for (const [thread, ops] of opsByThread(prog)) {
    const ra = a.get(thread) ?? [];
    const rb = b.get(thread) ?? [];
    const n = Math.max(ra.length, rb.length);
    for (let i = 0; i < n; i++) {
      const left = ra[i] ?? NOT_RUN;
      const right = rb[i] ?? NOT_RUN;
      if (left !== right) return { thread, index: i, op: ops[i] ?? null, left, right };
    }
  }
  return null;
}

/** How many ops agree before the first divergence (program order). */
function agreement(prog: ScenarioProgram, a: ResultRecord, b: ResultRecord): number {
  let n = 0;
  for (const thread of opsByThread(prog).keys()) {
    const ra = a.get(thread) ?? [];
    const rb = b.get(thread) ?? [];
    for (let i = 0; i < Math.max(ra.length, rb.length); i++) {
      if (ra[i] !== rb[i]) return n;
      n++;
    }
  }
  return n;
}

/**
 * Whether the live record is one the model allows: null if it equals one of
 * `models`, else its divergence from the model record that agrees longest
 * (left = model, right = live).
 */
export function liveVsModel(prog: ScenarioProgram, models: readonly ResultRecord[], live: ResultRecord): Divergence | null {
  let best: ResultRecord | null = null;
  let bestN = -1;
  for (const m of models) {
    if (firstDivergence(prog, m, live) === null) return null;
    const n = agreement(prog, m, live);
    if (n > bestN) [best, bestN] = [m, n];
  }
  return best === null ? { thread: 'setup', index: 0, op: prog.setup[0] ?? null, left: '(no model execution)', right: '' } : firstDivergence(prog, best, live);
}

/** The first op whose stated result (for `version`) `record` does not meet (left = stated, right = record). */
export function vsCatalogue(prog: ScenarioProgram, version: string, record: ResultRecord): Divergence | null {
  for (const [thread, ops] of opsByThread(prog)) {
    const rs = record.get(thread) ?? [];
    for (const [i, op] of ops.entries()) {
      const stated = statedResult(op, version);
      if (stated === null) continue;
      const got = rs[i] === undefined ? NOT_RUN : resultPart(rs[i]);
      if (got !== stated) return { thread, index: i, op, left: stated, right: got };
    }
  }
  return null;
}
