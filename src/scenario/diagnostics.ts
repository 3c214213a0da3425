/**
 * Diagnostics for scenario files: a stable code, a position (1-based line and
 * column, end exclusive), what was found and what was expected. Rendering is
 * pure and never includes a stack trace.
 */

/**
 * Every diagnostic code with a one-line meaning. Codes are stable: tools and
 * tests may match on them. KVS0xx YAML, KVS1xx document shape, KVS2xx op
 * syntax, KVS3xx op meaning, KVS4xx scenario structure.
 */
export const DIAGNOSTIC_CODES = {
  KVS001: 'the file is not well-formed YAML',
  KVS002: 'a mapping has the same key twice',
  KVS101: 'unknown key (the schema does not define it)',
  KVS102: 'a required key is missing',
  KVS103: 'a value has the wrong type',
  KVS104: 'a value is not one of the allowed values or is out of range',
  KVS201: 'an op does not follow the op grammar',
  KVS202: 'unterminated string or bad escape in an op',
  KVS203: 'malformed or out-of-range integer in an op',
  KVS301: 'unknown syscall',
  KVS302: 'wrong number of arguments',
  KVS303: 'unknown ioctl request',
  KVS304: 'an argument has the wrong type for its position',
  KVS305: 'unknown struct field',
  KVS306: 'a required struct field is missing',
  KVS307: 'a struct field is given twice',
  KVS308: 'unknown constant',
  KVS309: 'undefined fd variable',
  KVS310: 'assignment not allowed here (or fork() not assigned)',
  KVS311: 'fork() outside setup',
  KVS312: 'exit() not as the last op of its thread',
  KVS313: 'unknown errno name in an expectation',
  KVS314: 'an expectation that can never hold or is not allowed on this op',
  KVS401: 'unknown kernel version',
  KVS402: 'invalid thread name',
  KVS403: 'duplicate thread name',
  KVS404: 'unknown process',
  KVS405: 'duplicate process name',
  KVS406: 'duplicate VFIO group id',
  KVS407: 'duplicate VFIO device name',
  KVS408: 'a kernel version is listed twice',
} as const;

/** A stable diagnostic code, e.g. "KVS303". */
export type DiagnosticCode = keyof typeof DIAGNOSTIC_CODES;

/** A source range: 1-based line and column; the end is exclusive. */
export interface Span {
  readonly line: number;
  readonly col: number;
  readonly endLine: number;
  readonly endCol: number;
}

/** One problem in a scenario, positioned in its file. */
export interface Diagnostic extends Span {
  readonly file: string;
  readonly code: DiagnosticCode;
  readonly message: string;
  /** The offending text as written (or a description of it). */
  readonly found: string;
  /** What would have been accepted. */
  readonly expected: string;
}

/** Builds a diagnostic from its parts. */
export function diagnostic(
  file: string,
  span: Span,
  code: DiagnosticCode,
  message: string,
  found: string,
  expected: string,
): Diagnostic {
  return { file, ...span, code, message, found, expected };
}

/** Orders diagnostics by file position (stable for equal positions). */
export function sortDiagnostics(ds: readonly Diagnostic[]): Diagnostic[] {
  return [...ds].sort((a, b) => a.line - b.line || a.col - b.col);
}

/**
 * Renders a diagnostic:
 * `file:line:col: error KVS303: message`, `  found: …`, `  expected: …`, and,
 * when the source text is given, the line with a caret under the column.
 */
export function formatDiagnostic(d: Diagnostic, sourceText?: string): string {
  const out = [
    `${d.file}:${d.line}:${d.col}: error ${d.code}: ${d.message}`,
    `  found: ${d.found === '' ? '(nothing)' : d.found}`,
    `  expected: ${d.expected}`,
  ];
  if (sourceText !== undefined) out.push(...codeFrame(d, sourceText));
  return out.join('\n');
}

function codeFrame(d: Span, sourceText: string): string[] {
  const lines = sourceText.split(/\r?\n/);
  const text = lines[d.line - 1];
  if (text === undefined) return [];
  const gutter = String(d.line);
  const pad = ' '.repeat(gutter.length);
  const startCol = Math.max(1, Math.min(d.col, text.length + 1));
  const endCol = d.endLine === d.line ? Math.min(d.endCol, text.length + 1) : text.length + 1;
  const width = Math.max(1, endCol - startCol);
  // Keep tabs so the caret lines up under tab-indented text.
  const lead = text.slice(0, startCol - 1).replace(/[^\t]/g, ' ');
  return [`  ${gutter} | ${text}`, `  ${pad} | ${lead}${'^'.repeat(width)}`];
}
