/**
 * Semantic compilation of a validated scenario document into a
 * ScenarioProgram: kernel versions, host, thread names and processes, and
 * every op (scopes of fd variables, fork and exit placement). Shared by the
 * YAML loader and the TypeScript builder. Reports every problem it can.
 */
import { VERSION_NAMES } from '../kernel/versions.js';
import { diagnostic, type Diagnostic, type DiagnosticCode, type Span } from './diagnostics.js';
import type { Locator, Path } from './locator.js';
import { compileOps, type OpList } from './compilelists.js';
import type { HostDocOutput, KernelDocOutput, ThreadDocOutput } from './schema.js';
import type { HostGroup, HostSpec, ScenarioProgram, ThreadSpec } from './program.js';
import { didYouMean } from './suggest.js';

/** One entry of `threads:`, in document order (duplicates kept, so they can be reported). */
export interface ThreadEntry {
  readonly name: string;
  /** undefined when the entry failed schema validation (already reported). */
  readonly spec: ThreadDocOutput | undefined;
}

/** A scenario document after schema validation; undefined parts failed it (already reported). */
export interface DocParts {
  readonly name: string;
  readonly about: string;
  readonly process: string;
  readonly kernel: KernelDocOutput | undefined;
  /** null: no `host:` key. */
  readonly host: HostDocOutput | null | undefined;
  readonly setup: readonly string[] | undefined;
  readonly threads: readonly ThreadEntry[];
}

/** The result of loading or building a scenario. */
export type ScenarioResult =
  | { readonly ok: true; readonly program: ScenarioProgram }
  | { readonly ok: false; readonly diagnostics: readonly Diagnostic[] };

const THREAD_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Compiles validated document parts; `program` is null when any diagnostic was reported. */
export function compileParts(
  parts: DocParts,
  loc: Locator,
): { program: ScenarioProgram | null; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const report = (span: Span, code: DiagnosticCode, message: string, found: string, expected: string): void => {
    diagnostics.push(diagnostic(loc.file, span, code, message, found, expected));
  };
  const kernels = compileKernels(parts.kernel, loc, report);
  const host = compileHost(parts.host, loc, report);
  const main = parts.process;

  const lists: OpList[] = [];
  const seenThreads = new Set<string>();
  parts.threads.forEach((t, k) => {
    const at = loc.span(['threads', k], 'key');
    if (!THREAD_NAME.test(t.name)) {
      report(at, 'KVS402', `invalid thread name "${t.name}"`, t.name, 'an identifier: a letter or _ then letters, digits or _');
    } else if (t.name === 'setup') {
      report(at, 'KVS402', 'a thread cannot be named "setup" (setup is the first thread of the main process)', t.name, 'another name');
    } else if (seenThreads.has(t.name)) {
      report(at, 'KVS403', `duplicate thread name "${t.name}"`, t.name, 'a name not used by another thread');
    }
    seenThreads.add(t.name);
    if (t.spec === undefined) return;
    const isList = Array.isArray(t.spec);
    const ops = isList ? (t.spec as readonly string[]) : (t.spec as { ops: readonly string[] }).ops;
    const process = isList ? main : (t.spec as { process: string }).process;
    const base: Path = isList ? ['threads', k] : ['threads', k, 'ops'];
    lists.push({ name: t.name, process, processPath: isList ? null : ['threads', k, 'process'], ops, base });
  });

  let setup: ThreadSpec | null = null;
  let threads: ThreadSpec[] = [];
  if (parts.setup !== undefined) {
    const setupList: OpList = { name: 'setup', process: main, processPath: null, ops: parts.setup, base: ['setup'] };
    const out = compileOps(setupList, lists, main, loc, report);
    setup = out.setup;
    threads = out.threads;
  }
  if (diagnostics.length > 0 || setup === null || kernels === null || host === null) {
    return { program: null, diagnostics };
  }
  const program: ScenarioProgram = {
    name: parts.name,
    about: parts.about,
    file: loc.file,
    kernels,
    host,
    process: main,
    setup: setup.ops,
    threads,
  };
  return { program, diagnostics };
}

type Report = (span: Span, code: DiagnosticCode, message: string, found: string, expected: string) => void;

function compileKernels(k: KernelDocOutput | undefined, loc: Locator, report: Report): string[] | null {
  if (k === undefined) return null;
  const expected = `"all" or one of ${VERSION_NAMES.join(', ')}`;
  if (typeof k === 'string') {
    if (k === 'all') return [...VERSION_NAMES];
    if (VERSION_NAMES.includes(k)) return [k];
    report(loc.span(['kernel']), 'KVS401', `unknown kernel version "${k}"${didYouMean(k, VERSION_NAMES)}`, k, expected);
    return null;
  }
  const out: string[] = [];
  let ok = true;
  k.forEach((v, i) => {
    const at = loc.span(['kernel', i]);
    if (!VERSION_NAMES.includes(v)) {
      ok = false;
      const why = v === 'all' ? '"all" cannot be part of a list' : `unknown kernel version "${v}"${didYouMean(v, VERSION_NAMES)}`;
      report(at, 'KVS401', why, v, `one of ${VERSION_NAMES.join(', ')}`);
    } else if (out.includes(v)) {
      ok = false;
      report(at, 'KVS408', `kernel version "${v}" is listed twice`, v, 'each version once');
    } else {
      out.push(v);
    }
  });
  // Keep the order of VERSION_NAMES (oldest first), as "all" does.
  return ok ? VERSION_NAMES.filter((v) => out.includes(v)) : null;
}

function compileHost(h: HostDocOutput | null | undefined, loc: Locator, report: Report): HostSpec | null {
  if (h === undefined) return null;
  const vfio = h?.vfio;
  if (vfio === undefined || vfio === null || vfio === 'none') return { vfio: null };
  const ids = new Set<number>();
  const names = new Set<string>();
  let ok = true;
  const groups: HostGroup[] = vfio.groups.map((g, i) => {
    const gp: Path = ['host', 'vfio', 'groups', i];
    if (ids.has(g.id)) {
      ok = false;
      report(loc.span([...gp, 'id']), 'KVS406', `VFIO group id ${g.id} is declared twice`, String(g.id), 'a group id not used by another group');
    }
    ids.add(g.id);
    g.devices.forEach((d, j) => {
      if (names.has(d.name)) {
        ok = false;
        report(loc.span([...gp, 'devices', j, 'name']), 'KVS407', `VFIO device name "${d.name}" is used twice on this host`, d.name, 'a device name unique across all groups');
      }
      names.add(d.name);
    });
    return { id: g.id, devices: g.devices.map((d) => ({ name: d.name, driver: d.driver })) };
  });
  return ok ? { vfio: { groups } } : null;
}
