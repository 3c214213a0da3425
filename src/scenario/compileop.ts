/**
 * The meaning of one op: known syscall, arity, fd operands, ioctl request and
 * its argument kind, struct fields, constants and expectations. Scope rules
 * (which variables are visible, where fork/exit may appear) come from the
 * caller through OpEnv.
 */
import { ERRNO, isErrnoName } from '../kernel/include/uapi/asm-generic/errno.js';
import { CONSTANTS, IOCTLS, ioctlByName, type IoctlInfo } from '../kernel/include/uapi/table.js';
import type { OpArg, OpAst, OpSpan } from './opsyntax.js';
import type { Expectation, ExpectationSince, IoctlArg, Syscall } from './program.js';
import { VERSION_NAMES } from '../kernel/versions.js';
import { compileStruct } from './compilestruct.js';
import { ARG_KIND_TEXT, fdOperand, intOperand, src, type ArgCx, type OpEnv } from './operands.js';
import { didYouMean } from './suggest.js';

const SIGNATURES: Readonly<Record<string, string>> = {
  open: 'open("/dev/…")',
  close: 'close(fd)',
  dup: 'dup(fd)',
  ioctl: 'ioctl(fd, REQUEST[, arg])',
  exit: 'exit()',
  fork: 'NAME = fork()',
};
const IOCTL_NAMES = IOCTLS.map((i) => i.name);
function request(cx: ArgCx, a: OpArg): { info: IoctlInfo | null; number: number } | null {
  const expected = `one of ${IOCTL_NAMES.join(', ')}, or a request number (e.g. 0xae01)`;
  if (a.kind === 'int') {
    if (a.value >= 0 && a.value <= 0xffffffff) return { info: null, number: a.value };
    return cx.fail('KVS304', a.span, `ioctl request number ${a.raw} is out of range`, 'a number from 0 to 0xffffffff');
  }
  if (a.kind !== 'ident') return cx.fail('KVS304', a.span, `the ioctl request must be a name or a number, found ${ARG_KIND_TEXT[a.kind]}`, expected);
  const info = ioctlByName(a.name);
  if (info) return { info, number: info.number };
  const hint = CONSTANTS.has(a.name) ? ` (${a.name} is a constant, not an ioctl request)` : didYouMean(a.name, IOCTL_NAMES);
  return cx.fail('KVS303', a.span, `unknown ioctl request "${a.name}"${hint}`, expected);
}

function rawArg(cx: ArgCx, a: OpArg): IoctlArg | null {
  if (a.kind === 'string') return { kind: 'string', value: a.value };
  if (a.kind === 'int') return { kind: 'int', value: { value: a.value } };
  if (a.kind === 'struct') return cx.fail('KVS304', a.span, 'a raw request number takes no struct argument', 'an integer, a constant, an fd variable, a string or BADPTR');
  if (a.name === 'BADPTR') return { kind: 'badptr' };
  if (cx.env.lookup(a.name) === null) return { kind: 'fdptr', fd: { var: a.name } };
  const v = intOperand(cx, a, 'the argument');
  return v && { kind: 'int', value: v };
}

function ioctlArg(cx: ArgCx, info: IoctlInfo | null, a: OpArg | undefined, close: OpSpan): IoctlArg | null {
  if (info === null) return a === undefined ? { kind: 'none' } : rawArg(cx, a);
  const name = info.name;
  switch (info.arg) {
    case 'none':
      return a === undefined ? { kind: 'none' } : cx.fail('KVS302', a.span, `${name} takes no argument`, `ioctl(fd, ${name})`);
    case 'int': {
      if (a === undefined) return { kind: 'int', value: { value: 0 } };
      const v = intOperand(cx, a, `the argument of ${name}`);
      return v && { kind: 'int', value: v };
    }
    case 'fdptr': {
      if (a === undefined) return cx.fail('KVS302', close, `${name} needs an fd argument`, `ioctl(fd, ${name}, FD)`);
      const fd = fdOperand(cx, a, `the argument of ${name}`);
      return fd && { kind: 'fdptr', fd };
    }
    case 'string':
      if (a === undefined) return cx.fail('KVS302', close, `${name} needs a string argument`, `ioctl(fd, ${name}, "name")`);
      if (a.kind === 'string') return { kind: 'string', value: a.value };
      return cx.fail('KVS304', a.span, `${name} takes a string, found ${ARG_KIND_TEXT[a.kind]}`, 'a "string"');
    case 'kvm_create_device':
    case 'kvm_device_attr':
      if (a === undefined) return cx.fail('KVS302', close, `${name} needs a struct ${info.arg} argument`, `ioctl(fd, ${name}, {…})`);
      return compileStruct(cx, info.arg, name, a);
  }
}

/** The versioned results: each must name a known version, later than the one before. */
function expectationsSince(cx: ArgCx, ast: OpAst): ExpectationSince[] | undefined {
  const out: ExpectationSince[] = [];
  let last = -1;
  for (const s of ast.since) {
    const e = oneExpectation(cx, ast, s.result);
    const idx = VERSION_NAMES.indexOf(s.version.name);
    if (idx < 0) {
      cx.fail('KVS401', s.version.span, `unknown kernel version "${s.version.name}"${didYouMean(s.version.name, VERSION_NAMES)}`, `one of ${VERSION_NAMES.join(', ')}`);
      return undefined;
    }
    if (idx <= last) {
      cx.fail('KVS314', s.version.span, `"since ${s.version.name}" must name a version later than the one before it`, `versions in the order ${VERSION_NAMES.join(', ')}`);
      return undefined;
    }
    if (idx === 0) {
      cx.fail('KVS314', s.version.span, `"since ${s.version.name}" names the oldest version: the first result already covers it`, `a version after ${VERSION_NAMES[0] ?? ''}`);
      return undefined;
    }
    last = idx;
    if (e === undefined || e === null) return undefined;
    out.push({ version: s.version.name, expect: e });
  }
  return out;
}

function expectation(cx: ArgCx, ast: OpAst): Expectation | null | undefined {
  return oneExpectation(cx, ast, ast.result);
}

function oneExpectation(cx: ArgCx, ast: OpAst, r: OpAst['result']): Expectation | null | undefined {
  if (r === null) return null;
  const call = ast.call.name;
  if (call === 'exit' || call === 'fork') {
    return cx.fail('KVS314', r.span, `${call}() takes no expected result`, `${SIGNATURES[call]} with no "= …"`) ?? undefined;
  }
  if (r.kind === 'errno') {
    if (isErrnoName(r.name)) return { errno: r.name };
    const names = Object.keys(ERRNO);
    cx.fail('KVS313', r.nameSpan, `unknown errno "${r.name}"${didYouMean(r.name, names)}`, `one of ${names.join(', ')}`);
    return undefined;
  }
  if (r.value >= 0) return { ret: r.value };
  cx.fail('KVS314', r.span, `a syscall never returns ${r.raw}; a failure is written -1 ERRNO`, 'a result >= 0, or -1 and an errno name (e.g. -1 EBUSY)');
  return undefined;
}

/** Compiles one parsed op; reports every problem found and returns null if there was any. */
export function compileOp(ast: OpAst, env: OpEnv): Syscall | null {
  let bad = false;
  const cx: ArgCx = {
    env,
    fail(code, span, message, expected) {
      bad = true;
      env.report(code, span, message, src(cx, span) || 'end of op', expected);
      return null;
    },
  };
  const call = ast.call.name;
  const sig = SIGNATURES[call];
  if (sig === undefined) {
    cx.fail('KVS301', ast.call.span, `unknown syscall "${call}"${didYouMean(call, Object.keys(SIGNATURES))}`, `one of ${Object.values(SIGNATURES).join(', ')}`);
    return null;
  }
  const assign = ast.assign?.name ?? null;
  if (ast.assign && (call === 'close' || call === 'exit')) {
    cx.fail('KVS310', ast.assign.span, `${call}() returns no fd to assign to "${assign}"`, SIGNATURES[call] ?? '');
  } else if (ast.assign && (assign === 'BADPTR' || CONSTANTS.has(assign ?? ''))) {
    cx.fail('KVS310', ast.assign.span, `"${assign}" is a reserved name and cannot be a variable`, 'a variable name such as kvm, vm, dev');
  }
  const arity: readonly [number, number] = call === 'ioctl' ? [2, 3] : call === 'exit' || call === 'fork' ? [0, 0] : [1, 1];
  const n = ast.args.length;
  if (n < arity[0] || n > arity[1]) {
    const extra = ast.args[arity[1]];
    const span = extra ? { start: extra.span.start, end: ast.argsSpan.end - 1 } : { start: ast.argsSpan.end - 1, end: ast.argsSpan.end };
    const want = arity[0] === arity[1] ? `${arity[0]}` : `${arity[0]} or ${arity[1]}`;
    cx.fail('KVS302', span, `${call}() takes ${want} argument${want === '1' ? '' : 's'}, found ${n}`, sig);
    if (n < arity[0]) return null;
  }
  const expect = expectation(cx, ast);
  const expectSince = expectationsSince(cx, ast) ?? [];
  const call_ = env.text.slice(0, ast.argsSpan.end).trim();
  const base = { text: env.text, call: call_, site: env.site, expect: expect ?? null, expectSince };
  const [a0, a1, a2] = ast.args;
  let out: Syscall | null = null;
  switch (call) {
    case 'open':
      if (a0?.kind === 'string') out = { ...base, sys: 'open', path: a0.value, assign };
      else if (a0) cx.fail('KVS304', a0.span, `open() takes a path string, found ${ARG_KIND_TEXT[a0.kind]}`, 'a "string" such as "/dev/kvm"');
      break;
    case 'close':
    case 'dup': {
      const fd = a0 && fdOperand(cx, a0, `the fd of ${call}()`);
      if (fd) out = call === 'close' ? { ...base, sys: 'close', fd } : { ...base, sys: 'dup', fd, assign };
      break;
    }
    case 'ioctl': {
      const fd = a0 && fdOperand(cx, a0, 'the fd of ioctl()');
      const req = a1 && request(cx, a1);
      const arg = req ? ioctlArg(cx, req.info, a2, { start: ast.argsSpan.end - 1, end: ast.argsSpan.end }) : null;
      if (fd && req && arg) out = { ...base, sys: 'ioctl', fd, request: req.info?.name ?? null, requestNumber: req.number, arg, assign };
      break;
    }
    case 'exit':
      if (env.exitProblem !== null) cx.fail('KVS312', ast.call.span, env.exitProblem, 'exit() as the last op of a thread');
      out = { ...base, sys: 'exit' };
      break;
    case 'fork':
      if (env.forkProblem !== null) cx.fail('KVS311', ast.call.span, env.forkProblem, 'NAME = fork() in setup');
      if (assign === null) cx.fail('KVS310', ast.call.span, 'fork() must be assigned: "NAME = fork()" names the child process', 'NAME = fork()');
      else out = { ...base, sys: 'fork', assign };
      break;
  }
  return bad || expect === undefined ? null : out;
}
