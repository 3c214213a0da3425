/**
 * The CLI's edge: reading scenario files, printing diagnostics, colours and
 * the documented exit codes. User mistakes never print a stack trace.
 */
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import pc from 'picocolors';
import type { Paint } from '../report/text.js';
import { formatDiagnostic } from '../scenario/diagnostics.js';
import { loadScenario } from '../scenario/load.js';
import type { ScenarioProgram } from '../scenario/program.js';

/** Exit codes: 0 clean, 1 findings, 2 bad input or usage, 3 internal error. */
/** Exit codes: 4 is a check that found nothing but did not explore everything (not a proof). */
export const EXIT = { CLEAN: 0, FINDINGS: 1, BAD_INPUT: 2, INTERNAL: 3, BOUNDED: 4 } as const;

/** A user mistake: printed as is, exit 2. */
export class UsageError extends Error {}

export function paint(stream: NodeJS.WriteStream): Paint {
  const c = pc.createColors(stream.isTTY === true && process.env.NO_COLOR === undefined);
  return { red: c.red, green: c.green, yellow: c.yellow, bold: c.bold, dim: c.dim };
}

/** The package root (where scenarios/ ships), from dist/src/cli/ or src/cli/. */
export function packageRoot(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  return here.includes(`${join('dist', 'src')}`) ? join(here, '..', '..', '..') : join(here, '..', '..');
}

/** Shows a path relative to the working directory when that is shorter. */
export function displayPath(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel.length < file.length && !rel.startsWith('..') ? rel : file;
}

/** Reads and compiles a scenario; on mistakes prints every diagnostic and throws UsageError. */
/**
 * The scenario files named on a command line: a directory stands for the
 * `.yaml` files directly in it, in name order (`kvmsim check scenarios/`);
 * a file stands for itself. A directory with none is a usage error.
 */
export function scenarioFiles(args: readonly string[]): string[] {
  const out: string[] = [];
  for (const a of args) {
    let dir = false;
    try {
      dir = statSync(a).isDirectory();
    } catch {
      // Not there: readScenario says so, with the errno.
    }
    if (!dir) {
      out.push(a);
      continue;
    }
    const inside = readdirSync(a)
      .filter((f) => f.endsWith('.yaml') || f.endsWith('.yml'))
      .sort()
      .map((f) => join(a, f));
    if (inside.length === 0) throw new UsageError(`kvmsim: ${a} is a directory with no .yaml scenario in it`);
    out.push(...inside);
  }
  return out;
}

export function readScenario(file: string): ScenarioProgram {
  let source: string;
  try {
    source = readFileSync(file, 'utf8');
  } catch (e) {
    throw new UsageError(`kvmsim: cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`);
  }
  const r = loadScenario(source, file);
  if (r.ok) return r.program;
  throw new UsageError(r.diagnostics.map((d) => formatDiagnostic(d, source)).join('\n'));
}
