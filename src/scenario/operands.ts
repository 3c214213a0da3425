/**
 * Operands shared by op and struct compilation: fd operands (variables or
 * numbers) and integer operands (literals or uAPI constants), and the
 * environment an op is compiled in.
 */
import type { Site } from '../rt/thread.js';
import { CONSTANTS, ioctlByName } from '../kernel/include/uapi/table.js';
import type { DiagnosticCode } from './diagnostics.js';
import type { OpArg, OpSpan } from './opsyntax.js';
import type { FdRef, IntArg } from './program.js';
import { didYouMean, listNames } from './suggest.js';

/** Reports a problem at a span of the op string. */
export type OpReport = (code: DiagnosticCode, span: OpSpan, message: string, found: string, expected: string) => void;

/** What compileOp needs from its surroundings. */
export interface OpEnv {
  readonly text: string;
  readonly site: Site;
  /** null when `name` is a visible fd variable here; otherwise a hint on why not ('' if none). */
  lookup(name: string): string | null;
  /** The fd variables visible here, for suggestions. */
  visible(): readonly string[];
  /** null when fork() may appear here; otherwise why not. */
  readonly forkProblem: string | null;
  /** null when exit() may appear here; otherwise why not. */
  readonly exitProblem: string | null;
  readonly report: OpReport;
}

const BADPTR_NOTE = 'BADPTR only stands for a whole struct argument, or for addr: in a kvm_device_attr';

/** How an argument of each syntactic kind is described in messages. */
export const ARG_KIND_TEXT: Readonly<Record<string, string>> = {
  ident: 'a name',
  int: 'an integer',
  string: 'a string',
  struct: 'a struct',
};

/** Argument-level helpers shared with compilestruct.ts. */
export interface ArgCx {
  readonly env: OpEnv;
  fail(code: DiagnosticCode, span: OpSpan, message: string, expected: string): null;
}

/** The source text of a span. */
export function src(cx: ArgCx, span: OpSpan): string {
  return cx.env.text.slice(span.start, span.end);
}

/** An fd operand: a visible variable or an integer literal. */
export function fdOperand(cx: ArgCx, a: OpArg, what: string): FdRef | null {
  const expected = `a variable assigned earlier${cx.env.visible().length ? ` (${listNames(cx.env.visible(), 8)})` : ''} or an fd number`;
  if (a.kind === 'int') return { num: a.value };
  if (a.kind !== 'ident') return cx.fail('KVS304', a.span, `${what} must be an fd, found ${ARG_KIND_TEXT[a.kind]}`, expected);
  const why = cx.env.lookup(a.name);
  if (why === null) return { var: a.name };
  if (a.name === 'BADPTR') return cx.fail('KVS304', a.span, `${what} must be an fd; ${BADPTR_NOTE}`, expected);
  if (CONSTANTS.has(a.name)) return cx.fail('KVS304', a.span, `${what} must be an fd; ${a.name} is a constant`, expected);
  const hint = why === '' ? didYouMean(a.name, cx.env.visible()) : `: ${why}`;
  return cx.fail('KVS309', a.span, `undefined fd variable "${a.name}"${hint}`, expected);
}

/** An integer operand: a literal or a uAPI constant. */
export function intOperand(cx: ArgCx, a: OpArg, what: string): IntArg | null {
  const expected = 'an integer or a uAPI constant name';
  if (a.kind === 'int') return { value: a.value };
  if (a.kind !== 'ident') return cx.fail('KVS304', a.span, `${what} must be an integer, found ${ARG_KIND_TEXT[a.kind]}`, expected);
  const value = CONSTANTS.get(a.name);
  if (value !== undefined) return { value, name: a.name };
  if (a.name === 'BADPTR') return cx.fail('KVS304', a.span, `${what} must be an integer; ${BADPTR_NOTE}`, expected);
  if (cx.env.lookup(a.name) === null) return cx.fail('KVS304', a.span, `${what} must be an integer; "${a.name}" is an fd variable`, expected);
  if (ioctlByName(a.name)) return cx.fail('KVS308', a.span, `${a.name} is an ioctl request, not a constant for ${what}`, expected);
  return cx.fail('KVS308', a.span, `unknown constant "${a.name}"${didYouMean(a.name, CONSTANTS.keys())}`, expected);
}

