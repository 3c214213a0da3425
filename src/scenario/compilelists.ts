/**
 * Compiles the op lists of a scenario (setup, then every thread) with their
 * scope rules: setup's variables are visible to threads of the main process;
 * a forked process sees those assigned before its fork(); a thread's own
 * assignments are visible to its later ops only. fork() is for setup; exit()
 * ends a thread's op list.
 */
import type { DiagnosticCode, Span } from './diagnostics.js';
import type { Locator, Path } from './locator.js';
import { compileOp } from './compileop.js';
import type { OpEnv, OpReport } from './operands.js';
import { parseOp, type ParseOpResult } from './opsyntax.js';
import type { Syscall, ThreadSpec } from './program.js';
import { didYouMean } from './suggest.js';

/** One list of ops to compile: setup or a thread. */
export interface OpList {
  readonly name: string;
  readonly process: string;
  /** Where `process:` is written (null: implied main process). */
  readonly processPath: Path | null;
  readonly ops: readonly string[];
  /** Path of the list; op i is at [...base, i]. */
  readonly base: Path;
}

type Report = (span: Span, code: DiagnosticCode, message: string, found: string, expected: string) => void;

const FD_CALLS = new Set(['open', 'dup', 'ioctl']);

interface Def {
  readonly name: string;
  readonly list: number;
  readonly index: number;
}

/** Compiles setup and the threads; problems go to `report`. */
export function compileOps(
  setupList: OpList,
  threadLists: readonly OpList[],
  main: string,
  loc: Locator,
  report: Report,
): { setup: ThreadSpec; threads: ThreadSpec[] } {
  const lists = [setupList, ...threadLists];
  const opReport = (path: Path): OpReport => (code, span, message, found, expected) => {
    const a = loc.opPos(path, span.start);
    const b = loc.opPos(path, span.end);
    report({ line: a.line, col: a.col, endLine: b.line, endCol: b.col }, code, message, found, expected);
  };
  const parsed: ParseOpResult[][] = lists.map((l) =>
    l.ops.map((text, i) => {
      const r = parseOp(text);
      if (!r.ok) opReport([...l.base, i])(r.error.code, r.error.span, r.error.message, r.error.found, r.error.expected);
      return r;
    }),
  );
  const defs: Def[] = [];
  parsed.forEach((ops, list) =>
    ops.forEach((r, index) => {
      const name = r.ok ? r.op.assign?.name : r.assign;
      if (name !== undefined && name !== null && !(r.ok && r.op.call.name === 'fork')) defs.push({ name, list, index });
    }),
  );
  const forks = new Map<string, { vars: Set<string>; index: number }>();

  const hint = (name: string, list: number, index: number): string => {
    const process = lists[list]?.process ?? main;
    const fork = forks.get(process);
    for (const d of defs.filter((x) => x.name === name)) {
      if (d.list === list && d.index === index) return `"${name}" is assigned by this very op, after its arguments are read`;
      if (d.list === list && d.index > index) return `"${name}" is assigned only later, in op ${d.index + 1} of ${label(list)}`;
      if (d.list === 0 && fork && list !== 0 && d.index > fork.index) {
        return `"${name}" is assigned in setup after "${process} = fork()", so process ${process} does not have it`;
      }
    }
    const other = defs.find((d) => d.name === name && d.list !== list && d.list !== 0);
    if (other) return `"${name}" is assigned in thread "${lists[other.list]?.name}"; a thread sees setup's variables and its own only`;
    return '';
  };
  const label = (list: number): string => (list === 0 ? 'setup' : `thread "${lists[list]?.name}"`);

  const run = (list: number, scope: Set<string>): ThreadSpec => {
    const l = lists[list] as OpList;
    const out: Syscall[] = [];
    const inMain = threadLists.filter((t) => t.process === main).map((t) => `"${t.name}"`);
    l.ops.forEach((text, i) => {
      const r = parsed[list]?.[i];
      const path = [...l.base, i];
      if (r === undefined || !r.ok) {
        if (r?.assign) scope.add(r.assign);
        return;
      }
      const last = i === l.ops.length - 1;
      const env: OpEnv = {
        text,
        site: { file: loc.file, ...loc.opPos(path, 0) },
        lookup: (name) => (scope.has(name) ? null : hint(name, list, i)),
        visible: () => [...scope],
        forkProblem: list === 0 ? null : 'fork() is only allowed in setup (threads start once every process exists)',
        exitProblem: !last
          ? `exit() must be the last op of ${label(list)}`
          : list === 0 && inMain.length > 0
            ? `exit() in setup ends process "${main}", but thread${inMain.length > 1 ? 's' : ''} ${inMain.join(', ')} run in it afterwards`
            : null,
        report: opReport(path),
      };
      const sys = compileOp(r.op, env);
      if (sys) out.push(sys);
      const assign = r.op.assign;
      if (assign && r.op.call.name === 'fork' && list === 0) {
        if (assign.name === main || forks.has(assign.name)) {
          const taken = `process name "${assign.name}" is already taken`;
          env.report('KVS405', assign.span, taken, assign.name, 'a name not used by the main process or another fork()');
        }
        forks.set(assign.name, { vars: new Set(scope), index: i });
      } else if (assign && FD_CALLS.has(r.op.call.name)) {
        scope.add(assign.name);
      }
    });
    return { name: l.name, process: l.process, ops: out };
  };

  const setupScope = new Set<string>();
  const setup = run(0, setupScope);
  const threads = threadLists.map((t, k) => {
    let base = setupScope;
    if (t.process !== main) {
      const fork = forks.get(t.process);
      if (fork) base = fork.vars;
      else {
        const known = [main, ...forks.keys()];
        report(
          loc.span(t.processPath ?? []),
          'KVS404',
          `unknown process "${t.process}"${didYouMean(t.process, known)}`,
          t.process,
          `"${main}" (the main process) or a name given by NAME = fork() in setup: ${known.join(', ')}`,
        );
      }
    }
    return run(k + 1, new Set(base));
  });
  return { setup, threads };
}
