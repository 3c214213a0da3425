/**
 * Schema validation of a scenario document (from YAML or from the builder):
 * zod issues become positioned diagnostics, and the parts that did validate
 * are handed on, so semantic checks can still run and report more at once.
 */
import { z } from 'zod';
import { diagnostic, type Diagnostic } from './diagnostics.js';
import { compileParts, type DocParts, type ScenarioResult, type ThreadEntry } from './compile.js';
import { pathText, type Locator, type Path } from './locator.js';
import { HostDoc, ScenarioDocument, ThreadDoc } from './schema.js';
import { didYouMean } from './suggest.js';

/** A `threads:` entry before validation. */
export interface RawThreadEntry {
  readonly name: string;
  readonly value: unknown;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function valueAt(v: unknown, path: Path): unknown {
  for (const seg of path) {
    if (Array.isArray(v) && typeof seg === 'number') v = v[seg];
    else if (isRecord(v)) v = Object.hasOwn(v, seg) ? v[String(seg)] : undefined;
    else return undefined;
  }
  return v;
}

/** How a value is described in `found:`. */
export function describeValue(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'an empty value (null)';
  if (typeof v === 'string') return `the string ${JSON.stringify(v.length > 60 ? `${v.slice(0, 57)}...` : v)}`;
  if (typeof v === 'number' || typeof v === 'boolean') return `${typeof v} ${String(v)}`;
  if (Array.isArray(v)) return 'a list';
  return 'a mapping';
}

const TYPE_TEXT: Readonly<Record<string, string>> = {
  string: 'a string',
  number: 'a number',
  int: 'an integer',
  array: 'a list',
  object: 'a mapping',
  record: 'a mapping',
  null: 'null',
  boolean: 'true or false',
};

function unwrap(s: z.ZodType): z.ZodType[] {
  if (s instanceof z.ZodDefault || s instanceof z.ZodOptional || s instanceof z.ZodNullable) return unwrap(s.unwrap() as z.ZodType);
  if (s instanceof z.ZodUnion) return (s.options as readonly z.ZodType[]).flatMap(unwrap);
  return [s];
}

/** The keys the schema allows in the mapping at `path`. */
function keysAt(path: Path): string[] {
  let cands: z.ZodType[] = [ScenarioDocument];
  for (const seg of path) {
    cands = cands.flatMap(unwrap).flatMap((s): z.ZodType[] => {
      if (s instanceof z.ZodObject && typeof seg === 'string') return s.shape[seg] ? [s.shape[seg] as z.ZodType] : [];
      if (s instanceof z.ZodArray && typeof seg === 'number') return [s.element as z.ZodType];
      if (s instanceof z.ZodRecord) return [s.valueType as z.ZodType];
      return [];
    });
  }
  return [...new Set(cands.flatMap(unwrap).flatMap((s) => (s instanceof z.ZodObject ? Object.keys(s.shape) : [])))];
}

function isOpPath(path: Path): boolean {
  return typeof path[path.length - 1] === 'number' && (path[0] === 'setup' || path[0] === 'threads');
}

/**
 * When exactly one branch of a failed union matched the value's type (the
 * others failed at its root), that branch's issues say more than "invalid".
 */
function unionBranch(issue: z.core.$ZodIssueInvalidUnion): z.core.$ZodIssue[] | null {
  const typeMismatch = (i: z.core.$ZodIssue): boolean => i.path.length === 0 && (i.code === 'invalid_type' || i.code === 'invalid_value');
  const matching = issue.errors.filter((branch) => !branch.every(typeMismatch));
  const only = matching.length === 1 ? matching[0] : undefined;
  return only ? only.map((i) => ({ ...i, path: [...issue.path, ...i.path] })) : null;
}

function issueDiagnostics(issue: z.core.$ZodIssue, doc: unknown, loc: Locator): Diagnostic[] {
  const path = issue.path.filter((s): s is string | number => typeof s !== 'symbol');
  const where = pathText(path);
  const found = describeValue(valueAt(doc, path));
  const d = (p: Path, part: 'key' | 'value', code: Diagnostic['code'], message: string, f: string, expected: string): Diagnostic =>
    diagnostic(loc.file, loc.span(p, part), code, message, f, expected);
  switch (issue.code) {
    case 'unrecognized_keys': {
      const known = keysAt(path);
      return issue.keys.map((key) =>
        d([...path, key], 'key', 'KVS101', `unknown key "${key}"${path.length ? ` in ${where}` : ''}${didYouMean(key, known)}`, key, `one of ${known.join(', ')}`),
      );
    }
    case 'invalid_type': {
      const parent = path.slice(0, -1);
      const key = path[path.length - 1];
      const expected = isOpPath(path) ? 'an op string such as close(fd)' : (TYPE_TEXT[issue.expected] ?? issue.expected);
      if (path.length === 0) {
        return [d([], 'value', 'KVS103', 'a scenario must be a mapping (name:, setup:, threads:, …)', found, 'a mapping with at least a "name" key')];
      }
      if (valueAt(doc, path) === undefined && typeof key === 'string' && isRecord(valueAt(doc, parent))) {
        const msg = `missing required key "${key}"${parent.length ? ` in ${pathText(parent)}` : ''}`;
        return [d(parent, 'value', 'KVS102', msg, `no "${key}" key`, `"${key}:" with ${expected}`)];
      }
      return [d(path, 'value', 'KVS103', `${where} must be ${expected}`, found, expected)];
    }
    case 'invalid_union': {
      const inner = unionBranch(issue);
      if (inner) return inner.flatMap((i) => issueDiagnostics(i, doc, loc));
      return [d(path, 'value', 'KVS103', `${where} must be ${issue.message}`, found, issue.message)];
    }
    case 'invalid_value': {
      const options = issue.values.map((v) => JSON.stringify(v));
      const hint = typeof valueAt(doc, path) === 'string' ? didYouMean(String(valueAt(doc, path)), issue.values.map(String)) : '';
      return [d(path, 'value', 'KVS104', `invalid value for ${where}${hint}`, found, `one of ${options.join(', ')}`)];
    }
    case 'too_small':
      if (issue.origin === 'string' || issue.origin === 'array') {
        return [d(path, 'value', 'KVS104', `${where} must not be empty`, found, issue.origin === 'string' ? 'a non-empty string' : 'a non-empty list')];
      }
      return [d(path, 'value', 'KVS104', `${where} must be at least ${String(issue.minimum)}`, found, `a number >= ${String(issue.minimum)}`)];
    default:
      return [d(path, 'value', 'KVS104', `invalid value for ${where}: ${issue.message}`, found, issue.message)];
  }
}

/** Validates a document; `threads` entries come from the caller when it keeps duplicates (YAML pairs). */
export function validateDocument(
  doc: unknown,
  threads: readonly RawThreadEntry[] | undefined,
  loc: Locator,
): { parts: DocParts | null; diagnostics: Diagnostic[] } {
  const full = ScenarioDocument.safeParse(doc);
  const diagnostics = full.success ? [] : full.error.issues.flatMap((i) => issueDiagnostics(i, doc, loc));
  if (!isRecord(doc)) return { parts: null, diagnostics };
  const shape = ScenarioDocument.shape;
  const part = <T>(schema: z.ZodType<T>, v: unknown): T | undefined => {
    const r = schema.safeParse(v);
    return r.success ? r.data : undefined;
  };
  const rawThreads = threads ?? (isRecord(doc['threads']) ? Object.entries(doc['threads']).map(([name, value]) => ({ name, value })) : []);
  const entries: ThreadEntry[] = rawThreads.map((t) => ({ name: t.name, spec: part(ThreadDoc, t.value) }));
  const parts: DocParts = {
    name: part(shape.name, doc['name']) ?? '',
    about: part(shape.about, doc['about']) ?? '',
    process: part(shape.process, doc['process']) ?? 'qemu',
    kernel: part(shape.kernel, doc['kernel']),
    host: doc['host'] === undefined ? null : part(HostDoc, doc['host']),
    setup: part(shape.setup, doc['setup']),
    threads: entries,
  };
  return { parts, diagnostics };
}

/**
 * The path every scenario takes after parsing: schema, then meaning. `prior`
 * are diagnostics already found (e.g. duplicate YAML keys). Diagnostics come
 * in check order: prior, schema, kernel, host, thread names, setup, threads.
 */
export function compileDocument(
  doc: unknown,
  threads: readonly RawThreadEntry[] | undefined,
  loc: Locator,
  prior: readonly Diagnostic[] = [],
): ScenarioResult {
  const { parts, diagnostics } = validateDocument(doc, threads, loc);
  const all: Diagnostic[] = [...prior, ...diagnostics];
  if (parts !== null) {
    const { program, diagnostics: meaning } = compileParts(parts, loc);
    all.push(...meaning);
    if (program !== null && all.length === 0) return { ok: true, program };
  }
  return { ok: false, diagnostics: all };
}
