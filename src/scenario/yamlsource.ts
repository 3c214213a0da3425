/**
 * YAML with positions: parses a scenario's text, recovers op lines that YAML
 * misreads (an unquoted `{group: 1, attr: 2}` looks like a mapping to YAML, a
 * comma splits a flow list), reports syntax errors and duplicate keys, and
 * provides a Locator mapping document paths and op-string offsets to
 * line:col.
 */
import { isMap, isScalar, isSeq, LineCounter, parseDocument, Scalar, visit, type Document, type Node, type YAMLSeq } from 'yaml';
import { diagnostic, type Diagnostic, type Span } from './diagnostics.js';
import type { Locator, Path } from './locator.js';
import type { RawThreadEntry } from './validate.js';

/** The result of reading a scenario's YAML. */
export interface YamlSource {
  /** The document as plain data (after op-line recovery). */
  readonly value: unknown;
  /** `threads:` entries in order, duplicates kept; undefined when threads is not a mapping. */
  readonly threads: RawThreadEntry[] | undefined;
  readonly diagnostics: Diagnostic[];
  /** Syntax errors make the structure unreliable: stop after reporting them. */
  readonly fatal: boolean;
  readonly locator: Locator;
}

const keyText = (k: unknown): string => (isScalar(k) ? String(k.value) : String(k));

/** Splits the inside of a flow list `[ … ]` at top-level commas, keeping offsets. */
function splitFlow(text: string, from: number, to: number): { text: string; start: number }[] {
  const out: { text: string; start: number }[] = [];
  let depth = 0;
  let begin = from;
  const push = (end: number): void => {
    const raw = text.slice(begin, end);
    const lead = raw.length - raw.trimStart().length;
    let t = raw.trim();
    let start = begin + lead;
    if (t.length >= 2 && (t[0] === "'" || t[0] === '"') && t.endsWith(t[0])) {
      t = t.slice(1, -1);
      start++;
    }
    if (t !== '') out.push({ text: t, start });
  };
  for (let i = from; i < to; i++) {
    const c = text[i];
    if (c === '"') {
      for (i++; i < to && text[i] !== '"'; i++) if (text[i] === '\\') i++;
    } else if (c === '(' || c === '{') depth++;
    else if (c === ')' || c === '}') depth--;
    else if (c === ',' && depth <= 0) {
      push(i);
      begin = i + 1;
    }
  }
  push(to);
  return out;
}

/** The op line starting at `start`, without a trailing comment. */
function opLine(text: string, start: number): string {
  const nl = text.indexOf('\n', start);
  let line = text.slice(start, nl === -1 ? text.length : nl);
  let inString = false;
  for (let i = 0; i < line.length; i++) {
    if (line[i] === '"' && line[i - 1] !== '\\') inString = !inString;
    if (!inString && line[i] === '#' && /\s/.test(line[i - 1] ?? '')) {
      line = line.slice(0, i);
      break;
    }
  }
  return line.trimEnd();
}

function opLists(doc: Document): YAMLSeq[] {
  const root = doc.contents;
  if (!isMap(root)) return [];
  const out: YAMLSeq[] = [];
  const setup = root.get('setup', true);
  if (isSeq(setup)) out.push(setup);
  const threads = root.get('threads', true);
  if (isMap(threads)) {
    for (const p of threads.items) {
      if (isSeq(p.value)) out.push(p.value);
      else if (isMap(p.value)) {
        const ops: unknown = p.value.get('ops', true);
        if (isSeq(ops)) out.push(ops);
      }
    }
  }
  return out;
}

function raw(text: string, start: number): Scalar {
  const s = new Scalar(text);
  s.range = [start, start + text.length, start + text.length];
  return s;
}

/** Reads op lines as written where YAML split them; returns the recovered source ranges. */
function recoverOps(doc: Document, text: string, recovered: WeakSet<Node>): [number, number][] {
  const ranges: [number, number][] = [];
  const errorIn = (a: number, b: number): boolean => doc.errors.some((e) => e.pos[0] >= a && e.pos[0] < b);
  for (const seq of opLists(doc)) {
    const r = seq.range;
    if (!r) continue;
    if (seq.flow) {
      if (text[r[0]] !== '[' || text[r[1] - 1] !== ']') continue;
      const parts = splitFlow(text, r[0] + 1, r[1] - 1);
      // YAML splits `[ ioctl(kvm, KVM_GET_API_VERSION) ]` at the comma into two clean scalars: read
      // at the commas outside parentheses and braces, the list has fewer items than YAML made of it.
      const damaged = seq.items.some((i) => !isScalar(i)) || errorIn(r[0], r[1]) || parts.length !== seq.items.length;
      if (!damaged) continue;
      seq.items = parts.map((p) => raw(p.text, p.start));
      ranges.push([r[0], r[1]]);
    } else {
      seq.items = seq.items.map((item) => {
        if (!isMap(item) || item.flow || !item.range) return item;
        const start = item.range[0];
        const nl = text.indexOf('\n', start);
        const lineEnd = nl === -1 ? text.length : nl;
        // Only a mapping YAML made of one op line; a real multi-line mapping stays a schema error.
        if (text.slice(lineEnd, item.range[1]).trim() !== '') return item;
        ranges.push([start, lineEnd + 1]);
        return raw(opLine(text, start), start);
      });
    }
    for (const item of seq.items) if (isScalar(item) && item.type === undefined) recovered.add(item);
  }
  return ranges;
}

/** Offset in the source of character `offset` of a scalar's value. */
function sourceOffset(node: Scalar, text: string, offset: number, recovered: WeakSet<Node>): number {
  const [start, end] = node.range ?? [0, 0];
  const value = String(node.value);
  if (recovered.has(node)) return start + offset;
  if (node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE') {
    let j = start + 1;
    for (let i = 0; i < offset && j < end; i++) {
      if (node.type === 'QUOTE_SINGLE') j += text[j] === "'" && text[j + 1] === "'" ? 2 : 1;
      else if (text[j] !== '\\') j++;
      else j += ({ x: 4, u: 6, U: 10 } as Record<string, number>)[text[j + 1] ?? ''] ?? 2;
    }
    return j;
  }
  const first = value.split('\n')[0] ?? '';
  const at = text.indexOf(first, start);
  return (at === -1 || at > end ? start : at) + offset;
}

/** Parses scenario YAML and reports its syntax errors and duplicate keys. */
export function readYaml(text: string, file: string): YamlSource {
  const lc = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lc, prettyErrors: false, uniqueKeys: false, logLevel: 'error' });
  const recovered = new WeakSet<Node>();
  const ranges = recoverOps(doc, text, recovered);
  const span = (a: number, b: number): Span => {
    const p = lc.linePos(a);
    const q = lc.linePos(Math.max(b, a));
    return { line: p.line, col: p.col, endLine: q.line, endCol: q.col };
  };
  const diagnostics: Diagnostic[] = [];
  for (const e of doc.errors) {
    if (ranges.some(([a, b]) => e.pos[0] >= a && e.pos[0] < b)) continue;
    const found = e.pos[0] >= text.length ? 'end of file' : JSON.stringify(text.slice(e.pos[0], Math.max(e.pos[1], e.pos[0] + 1)));
    diagnostics.push(diagnostic(file, span(e.pos[0], e.pos[1]), 'KVS001', `YAML: ${e.message}`, found, 'well-formed YAML'));
  }
  const root = doc.contents;
  const threadsMap: unknown = isMap(root) ? root.get('threads', true) : undefined;
  visit(doc, {
    Map(_, map) {
      if (map === threadsMap) return;
      const seen = new Set<string>();
      for (const p of map.items) {
        const k = keyText(p.key);
        const r = isScalar(p.key) ? p.key.range : undefined;
        if (seen.has(k) && r) diagnostics.push(diagnostic(file, span(r[0], r[1]), 'KVS002', `duplicate key "${k}"`, k, 'each key once per mapping'));
        seen.add(k);
      }
    },
  });
  let fatal = doc.errors.some((e) => !ranges.some(([a, b]) => e.pos[0] >= a && e.pos[0] < b));
  let value: unknown = null;
  try {
    if (!fatal) value = doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    fatal = true;
    diagnostics.push(diagnostic(file, span(0, 0), 'KVS001', `YAML: ${(e as Error).message}`, 'the document', 'well-formed YAML'));
  }
  const entryValue = (v: unknown): unknown => (isScalar(v) || isMap(v) || isSeq(v) ? (v.toJS(doc) as unknown) : null);
  const threads =
    isMap(threadsMap) && !fatal ? threadsMap.items.map((p) => ({ name: keyText(p.key), value: entryValue(p.value) })) : undefined;

  const lookup = (path: Path): { node: Node | null; key: Node | null } => {
    let node: unknown = doc.contents;
    let key: unknown = null;
    for (const seg of path) {
      let pair: { key: unknown; value: unknown } | undefined;
      if (isMap(node)) pair = typeof seg === 'number' ? node.items[seg] : node.items.findLast((p) => keyText(p.key) === seg);
      else if (isSeq(node) && typeof seg === 'number' && node.items[seg] !== undefined) pair = { key: null, value: node.items[seg] };
      if (pair === undefined) break;
      if (pair.value === null || pair.value === undefined) return { node: (pair.key as Node) ?? (node as Node), key: pair.key as Node };
      node = pair.value;
      key = pair.key;
    }
    return { node: (node as Node | null) ?? null, key: (key as Node | null) ?? null };
  };
  const locator: Locator = {
    file,
    span(path, part = 'value') {
      const { node, key } = lookup(path);
      const n = part === 'key' && key ? key : node;
      return n?.range ? span(n.range[0], n.range[1]) : span(0, 0);
    },
    opPos(path, offset) {
      const { node } = lookup(path);
      if (!isScalar(node)) return lc.linePos(node?.range?.[0] ?? 0);
      return lc.linePos(sourceOffset(node, text, offset, recovered));
    },
  };
  return { value, threads, diagnostics, fatal, locator };
}
