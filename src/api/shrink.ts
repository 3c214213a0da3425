/**
 * Scenario minimisation (issue 17: `kvmsim minimise FILE --kernel V`, as
 * syzkaller minimises reproducers): drop threads, ops and host devices one at
 * a time, keeping each drop after which a check still reports the same
 * finding, until no single drop keeps it. The pieces are cut out of the text
 * (comments and spelling kept), each candidate compiled as a user's file
 * would be — one that no longer compiles (a variable left unbound) is simply
 * not a candidate.
 *
 * "The same finding": the same kind and root cause (rootcause.ts), or the
 * same signature for kinds without one — names that hold whichever threads
 * are left around it.
 */
import { isMap, isScalar, isSeq, parseDocument, type Document, type YAMLSeq } from 'yaml';
import { loadScenario } from '../scenario/load.js';
import type { Finding } from '../trace/finding.js';
import { rootCauseKey } from '../check/rootcause.js';
import { checkScenario, type CheckOptions } from './check.js';

/** What identifies a finding across scenario edits: its root cause (check/rootcause.ts). */
export const findingKey = rootCauseKey;

export interface ShrinkOptions {
  /** Executions each candidate's check may take (a candidate that needs more is not kept). */
  readonly maxExecutions?: number;
  /** Called after each candidate with what was tried and whether it was kept. */
  readonly onTry?: (what: string, kept: boolean) => void;
}

export interface Shrunk {
  /** The smallest scenario found, as YAML. */
  readonly text: string;
  /** What was dropped, in order. */
  readonly dropped: readonly string[];
  /** Candidates checked. */
  readonly tried: number;
}

/** One removable piece of the text: the characters [from, to) to cut, and how a report names it. */
interface Piece {
  readonly from: number;
  readonly to: number;
  readonly what: string;
}

/** The offset of the start of the line `at` is on. */
function lineStart(text: string, at: number): number {
  return text.lastIndexOf('\n', at - 1) + 1;
}

/** The offset just past the end of the line `at` is on (its newline included). */
function lineEnd(text: string, at: number): number {
  const nl = text.indexOf('\n', at);
  return nl < 0 ? text.length : nl + 1;
}

/** The node's [start, end) in the text (yaml's range: start, value end, node end). */
function span(n: unknown): [number, number] | null {
  const r = (n as { range?: [number, number, number] } | null)?.range;
  return r === undefined ? null : [r[0], r[1]];
}

/** Item `i` of a sequence: its whole line(s) in a block list, the item and a comma in a flow one. */
function itemPiece(text: string, seq: YAMLSeq, i: number, what: string): Piece | null {
  const item = span(seq.items[i]);
  if (item === null) return null;
  if (seq.flow !== true) return { from: lineStart(text, item[0]), to: lineEnd(text, Math.max(item[0], item[1] - 1)), what };
  const next = span(seq.items[i + 1]);
  if (next !== null) return { from: item[0], to: next[0], what };
  const prev = span(seq.items[i - 1]);
  return prev !== null ? { from: prev[1], to: item[1], what } : { from: item[0], to: item[1], what };
}

/** The `threads` key node of the document, if any. */
function threadsKey(doc: Document): unknown {
  const root = doc.contents;
  if (!isMap(root)) return null;
  return root.items.find((p) => isScalar(p.key) && p.key.value === 'threads')?.key ?? null;
}

/**
 * Removable pieces, the biggest first: threads, then ops (last first), then
 * host devices. The scenario language is read leniently (ops hold commas and
 * colons YAML itself would refuse, scenario/yamlsource.ts), so the pieces are
 * cut from the text by the parser's ranges rather than edited as YAML.
 */
function pieces(text: string): Piece[] {
  const doc = parseDocument(text, { uniqueKeys: false, logLevel: 'error' });
  const out: Piece[] = [];
  const threads = doc.get('threads');
  const ops: [string, YAMLSeq][] = [];
  if (isMap(threads) && threads.flow !== true) {
    for (const item of threads.items) {
      const name = String(isScalar(item.key) ? item.key.value : item.key);
      const key = span(item.key);
      const value = span(item.value);
      // The last thread goes with its `threads:` line (a key with nothing under it is no scenario).
      const head = threads.items.length === 1 ? span(threadsKey(doc)) : null;
      if (key !== null) out.push({ from: lineStart(text, (head ?? key)[0]), to: lineEnd(text, Math.max(key[0], (value ?? key)[1] - 1)), what: `thread ${name}` });
      // A thread is a list of ops, or a map with an \`ops:\` list.
      const body = item.value;
      const list = isSeq(body) ? body : isMap(body) ? body.get('ops') : null;
      if (isSeq(list)) ops.push([name, list]);
    }
  }
  for (const [name, list] of ops) {
    for (let i = list.items.length - 1; i >= 0; i--) {
      const p = itemPiece(text, list, i, `${name}'s op ${i + 1}`);
      if (p !== null) out.push(p);
    }
  }
  const setup = doc.get('setup');
  if (isSeq(setup)) {
    for (let i = setup.items.length - 1; i >= 0; i--) {
      const p = itemPiece(text, setup, i, `setup op ${i + 1}`);
      if (p !== null) out.push(p);
    }
  }
  const groups = doc.getIn(['host', 'vfio', 'groups']);
  if (isSeq(groups)) {
    groups.items.forEach((g) => {
      const devices = isMap(g) ? g.get('devices') : null;
      if (!isSeq(devices)) return;
      for (let i = devices.items.length - 1; i >= 0; i--) {
        const d = devices.items[i];
        const name = isMap(d) ? String(d.get('name')) : `${i + 1}`;
        const p = itemPiece(text, devices, i, `host device ${name}`);
        if (p !== null) out.push(p);
      }
    });
  }
  return out;
}

/**
 * The smallest scenario (greedy, one drop at a time, to a fixed point)
 * whose check on `kernel` still reports `target`.
 */
export function shrinkScenario(text: string, file: string, kernel: string, target: Finding, opts: ShrinkOptions = {}): Shrunk {
  const key = findingKey(target);
  const check: CheckOptions = { minimise: false, confirmBudget: 0, maxExecutions: opts.maxExecutions ?? 20_000 };
  const shows = (candidate: string): boolean => {
    const loaded = loadScenario(candidate, file);
    if (!loaded.ok) return false;
    const r = checkScenario(loaded.program, kernel, check);
    return r.findings.some((f) => findingKey(f) === key);
  };
  let current = text;
  const dropped: string[] = [];
  let tried = 0;
  for (let progress = true; progress; ) {
    progress = false;
    for (const p of pieces(current)) {
      const candidate = current.slice(0, p.from) + current.slice(p.to);
      tried++;
      const kept = shows(candidate);
      opts.onTry?.(p.what, kept);
      if (!kept) continue;
      current = candidate;
      dropped.push(p.what);
      progress = true;
      // Offsets after a cut shift: start again from the smaller text.
      break;
    }
  }
  return { text: current, dropped, tried };
}
