/**
 * The op language: one strace-like system call per string.
 *
 *     op     := [IDENT '='] IDENT '(' [arg {',' arg}] ')' ['=' result]
 *     arg    := IDENT | INT | STRING | '{' [IDENT ':' arg {',' IDENT ':' arg}] '}'
 *     INT    := ['-'] (decimal | 0x hex)
 *     STRING := '"' … '"' with \" and \\ escapes
 *     result := INT | '-1' ERRNO-IDENT
 *     results:= result {',' result 'since' VERSION}   (the first applies before the first VERSION)
 *
 * Every AST node carries the offsets (within the op string) of its text, so
 * diagnostics can point at the offending token.
 */

/** Offsets into the op string: `start` inclusive, `end` exclusive, 0-based. */
export interface OpSpan {
  readonly start: number;
  readonly end: number;
}

/** Token classes of the op language. */
export type TokenKind = 'ident' | 'int' | 'string' | 'punct' | 'eof';

/** One token of an op string. `text` is the raw source; `value` is decoded. */
export interface Token {
  readonly kind: TokenKind;
  readonly text: string;
  readonly value: string | number;
  readonly span: OpSpan;
}

/** An argument: a name (variable, constant, BADPTR), an integer, a string or a struct. */
export type OpArg =
  | { readonly kind: 'ident'; readonly name: string; readonly span: OpSpan }
  | { readonly kind: 'int'; readonly value: number; readonly raw: string; readonly span: OpSpan }
  | { readonly kind: 'string'; readonly value: string; readonly raw: string; readonly span: OpSpan }
  | { readonly kind: 'struct'; readonly fields: readonly OpField[]; readonly span: OpSpan };

/** `name: value` inside a struct argument. */
export interface OpField {
  readonly name: string;
  readonly nameSpan: OpSpan;
  readonly value: OpArg;
}

/** The stated result: `= N` or `= -1 ERRNO`. */
export type OpResult =
  | { readonly kind: 'ret'; readonly value: number; readonly raw: string; readonly span: OpSpan }
  | { readonly kind: 'errno'; readonly name: string; readonly span: OpSpan; readonly nameSpan: OpSpan };

/** A result that holds from a kernel version on: `…, 5 since v6.2`. */
export interface OpResultSince {
  readonly result: OpResult;
  readonly version: OpName;
}

/** A name with its position: the assigned variable or the syscall. */
export interface OpName {
  readonly name: string;
  readonly span: OpSpan;
}

/** A parsed op. `args` span covers the parentheses. */
export interface OpAst {
  readonly assign: OpName | null;
  readonly call: OpName;
  readonly args: readonly OpArg[];
  readonly argsSpan: OpSpan;
  readonly result: OpResult | null;
  /** Results that replace `result` from a kernel version on, in the order written. */
  readonly since: readonly OpResultSince[];
}

/** A syntax error, with the code it reports under (see DIAGNOSTIC_CODES). */
export interface OpSyntaxError {
  readonly code: 'KVS201' | 'KVS202' | 'KVS203';
  readonly span: OpSpan;
  readonly message: string;
  readonly found: string;
  readonly expected: string;
}

/** An op's AST, or its first syntax error. */
export type ParseOpResult =
  | { readonly ok: true; readonly op: OpAst }
  /** `assign` is the variable the op assigns, when the parser got that far (to limit follow-on errors). */
  | { readonly ok: false; readonly error: OpSyntaxError; readonly assign: string | null };

const IDENT_START = /[A-Za-z_]/;
const IDENT_CHAR = /[A-Za-z0-9_]/;
const PUNCT = '(){},:=';

/** Tokens up to the end (an `eof` token) or up to the first lexical error. */
export type Lexed = { tokens: Token[]; error: OpSyntaxError | null };

/** Splits an op string into tokens; stops at the first lexical error. */
export function tokenizeOp(text: string): Lexed {
  const tokens: Token[] = [];
  const err = (code: OpSyntaxError['code'], start: number, end: number, message: string, expected: string): Lexed => ({
    tokens,
    error: { code, span: { start, end }, message, found: text.slice(start, end) || 'end of op', expected },
  });
  let i = 0;
  while (i < text.length) {
    const c = text[i] ?? '';
    const start = i;
    if (c === ' ' || c === '\t') {
      i++;
    } else if (PUNCT.includes(c)) {
      tokens.push({ kind: 'punct', text: c, value: c, span: { start, end: ++i } });
    } else if (IDENT_START.test(c)) {
      // A kernel version (v6.2-rc5) is one name: after "v" and a digit, dots and dashes belong to it.
      const version = c === 'v' && /[0-9]/.test(text[i + 1] ?? '');
      while (i < text.length && (IDENT_CHAR.test(text[i] ?? '') || (version && /[.-]/.test(text[i] ?? '')))) i++;
      const s = text.slice(start, i);
      tokens.push({ kind: 'ident', text: s, value: s, span: { start, end: i } });
    } else if (c === '-' || /[0-9]/.test(c)) {
      if (c === '-') i++;
      while (i < text.length && IDENT_CHAR.test(text[i] ?? '')) i++;
      const raw = text.slice(start, i);
      const m = /^(-?)(0[xX][0-9a-fA-F]+|[0-9]+)$/.exec(raw);
      if (!m) return err('KVS203', start, Math.max(i, start + 1), `malformed integer "${raw}"`, 'a decimal or 0x-hex integer');
      const value = (m[1] === '-' ? -1 : 1) * Number(m[2]);
      if (!Number.isSafeInteger(value)) return err('KVS203', start, i, `integer "${raw}" is out of range`, 'an integer of at most 53 bits');
      tokens.push({ kind: 'int', text: raw, value, span: { start, end: i } });
    } else if (c === '"') {
      let value = '';
      i++;
      for (;;) {
        const d = text[i];
        if (d === undefined) return err('KVS202', start, i, 'unterminated string', 'a closing "');
        if (d === '"') break;
        if (d === '\\') {
          const e = text[i + 1];
          if (e !== '"' && e !== '\\') return err('KVS202', i, i + 2, `unknown escape "\\${e ?? ''}" in string`, '\\" or \\\\');
          value += e;
          i += 2;
        } else {
          value += d;
          i++;
        }
      }
      i++;
      tokens.push({ kind: 'string', text: text.slice(start, i), value, span: { start, end: i } });
    } else {
      return err('KVS201', start, start + 1, `unexpected character "${c}"`, 'a name, a number, a "string", or one of ( ) { } , : =');
    }
  }
  tokens.push({ kind: 'eof', text: '', value: '', span: { start: text.length, end: text.length } });
  return { tokens, error: null };
}

class Fail extends Error {
  constructor(readonly error: OpSyntaxError) {
    super(error.message);
  }
}

/** Parses one op string. Never throws. */
export function parseOp(text: string): ParseOpResult {
  const { tokens, error: lexError } = tokenizeOp(text);
  let pos = 0;
  let assign: OpName | null = null;
  const peek = (k = 0): Token | undefined => tokens[pos + k];
  const describe = (t: Token | undefined): string => (t === undefined || t.kind === 'eof' ? 'end of op' : t.text);
  const fail = (t: Token | undefined, message: string, expected: string): never => {
    // Running into the lexer's stopping point means its error explains the problem.
    if (t === undefined && lexError) throw new Fail(lexError);
    const span = t?.span ?? { start: text.length, end: text.length };
    throw new Fail({ code: 'KVS201', span, message, found: describe(t), expected });
  };
  const next = (): Token | undefined => tokens[pos++];
  const isPunct = (t: Token | undefined, p: string): boolean => t?.kind === 'punct' && t.text === p;
  const expectPunct = (p: string, context: string, expected = `"${p}"`): Token => {
    const t = next();
    if (!isPunct(t, p)) fail(t, `expected ${expected} ${context}, found ${describe(t)}`, expected);
    return t as Token;
  };
  const ident = (context: string, expected: string): OpName => {
    const t = next();
    if (t?.kind !== 'ident') return fail(t, `expected ${expected} ${context}, found ${describe(t)}`, expected);
    return { name: t.text, span: t.span };
  };

  const arg = (): OpArg => {
    const t = next();
    if (t?.kind === 'ident') return { kind: 'ident', name: t.text, span: t.span };
    if (t?.kind === 'int') return { kind: 'int', value: t.value as number, raw: t.text, span: t.span };
    if (t?.kind === 'string') return { kind: 'string', value: t.value as string, raw: t.text, span: t.span };
    if (!isPunct(t, '{')) return fail(t, `expected an argument, found ${describe(t)}`, 'a name, a number, a "string" or a {struct}');
    const open = (t as Token).span.start;
    const fields: OpField[] = [];
    if (!isPunct(peek(), '}')) {
      for (;;) {
        const f = ident('as a struct field name', 'a field name');
        expectPunct(':', `after field "${f.name}"`);
        fields.push({ name: f.name, nameSpan: f.span, value: arg() });
        if (!isPunct(peek(), ',')) break;
        next();
      }
    }
    const close = expectPunct('}', 'to close the struct', '"," or "}"');
    return { kind: 'struct', fields, span: { start: open, end: close.span.end } };
  };

  const result = (): OpResult => {
    const t = next();
    const expected = 'an integer, or -1 and an errno name (e.g. -1 EBUSY)';
    if (t?.kind !== 'int') return fail(t, `expected a result after "=", found ${describe(t)}`, expected);
    const after = peek();
    if (after?.kind === 'ident' && after.text !== 'since') {
      if (t.value !== -1) fail(after, `an errno name only follows -1, found ${t.text} ${after.text}`, expected);
      next();
      return { kind: 'errno', name: after.text, span: { start: t.span.start, end: after.span.end }, nameSpan: after.span };
    }
    return { kind: 'ret', value: t.value as number, raw: t.text, span: t.span };
  };

  try {
    if (peek()?.kind === 'ident' && isPunct(peek(1), '=')) {
      assign = ident('', 'a variable name');
      next();
    }
    const call = ident(assign ? `after "${assign.name} ="` : 'at the start of the op', 'a syscall name');
    const open = expectPunct('(', `after "${call.name}"`);
    const args: OpArg[] = [];
    if (!isPunct(peek(), ')')) {
      for (;;) {
        args.push(arg());
        if (!isPunct(peek(), ',')) break;
        next();
      }
    }
    const close = expectPunct(')', 'to close the argument list', '"," or ")"');
    let res: OpResult | null = null;
    const since: OpResultSince[] = [];
    if (isPunct(peek(), '=')) {
      next();
      res = result();
      while (isPunct(peek(), ',')) {
        next();
        const r = result();
        const kw = peek();
        if (kw?.kind !== 'ident' || kw.text !== 'since') fail(kw, `expected "since" after a further result, found ${describe(kw)}`, '"since" and a kernel version (e.g. since v6.2)');
        next();
        since.push({ result: r, version: ident('after "since"', 'a kernel version such as v6.2') });
      }
    }
    const end = peek();
    if (end !== undefined && end.kind !== 'eof') fail(end, `unexpected "${end.text}" after the op`, res ? 'end of op' : '"= result" or end of op');
    if (end === undefined && lexError) throw new Fail(lexError);
    const argsSpan = { start: open.span.start, end: close.span.end };
    return { ok: true, op: { assign, call, args, argsSpan, result: res, since } };
  } catch (e) {
    if (e instanceof Fail) return { ok: false, error: e.error, assign: assign?.name ?? null };
    throw e;
  }
}

/** Prints an argument in canonical form (`{a: 1, b: X}`, integers as written). */
export function printArg(a: OpArg): string {
  switch (a.kind) {
    case 'ident':
      return a.name;
    case 'int':
    case 'string':
      return a.raw;
    case 'struct':
      return `{${a.fields.map((f) => `${f.name}: ${printArg(f.value)}`).join(', ')}}`;
  }
}

/** Prints an op in canonical form: `v = call(a, b) = -1 EBUSY`. */
export function printOp(op: OpAst): string {
  const head = op.assign ? `${op.assign.name} = ` : '';
  const call = `${op.call.name}(${op.args.map(printArg).join(', ')})`;
  const r = op.result;
  const one = (x: OpResult): string => (x.kind === 'ret' ? x.raw : `-1 ${x.name}`);
  const tail = r === null ? '' : ` = ${[one(r), ...op.since.map((x) => `${one(x.result)} since ${x.version.name}`)].join(', ')}`;
  return head + call + tail;
}
