/**
 * Loading a scenario from YAML text: syntax, then shape (zod schema), then
 * meaning (compile.ts), each reporting as many problems as it can. Pure: the
 * caller reads the file.
 */
import type { ScenarioResult } from './compile.js';
import { diagnostic, sortDiagnostics } from './diagnostics.js';
import { compileDocument } from './validate.js';
import { readYaml } from './yamlsource.js';

/** The result of loadScenario: a program, or every diagnostic found. */
export type { ScenarioResult } from './compile.js';

/**
 * Loads a scenario from its YAML source. `file` names the source in
 * diagnostics and in the program's sites. Never throws on bad input: every
 * problem is a positioned diagnostic, sorted by position. YAML syntax errors
 * stop before the schema and meaning checks (their structure is unreliable);
 * otherwise every problem the later stages can find is reported at once.
 */
export function loadScenario(source: string, file: string): ScenarioResult {
  // A JavaScript caller (or one reading a file that failed) can hand over anything: say what it was.
  if (typeof source !== 'string') {
    const name = typeof file === 'string' ? file : '(scenario)';
    const found = source === null ? 'null' : typeof source;
    const at = { line: 1, col: 1, endLine: 1, endCol: 1 };
    return { ok: false, diagnostics: [diagnostic(name, at, 'KVS001', 'no scenario text to load', found, "the scenario's YAML text, as a string")] };
  }
  const yaml = readYaml(source, file);
  if (yaml.fatal) return { ok: false, diagnostics: sortDiagnostics(yaml.diagnostics) };
  const r = compileDocument(yaml.value, yaml.threads, yaml.locator, yaml.diagnostics);
  return r.ok ? r : { ok: false, diagnostics: sortDiagnostics(r.diagnostics) };
}
