/**
 * JUnit XML for CI systems (`kvmsim check --junit FILE`): one test suite per
 * scenario, one test case per scenario × kernel version. Findings are a
 * failure carrying the text report; a bounded check (nothing found, not every
 * interleaving explored) is skipped with its bound, never a pass; a clean
 * check passes. Formatting only: the verdicts are the check's.
 */
import type { CheckResult } from '../api/check.js';
import { formatCheck } from './text.js';

/** XML text and attribute escaping (a scenario's name and findings are input). */
export function xmlEscape(s: string): string {
  return (
    s
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/"/g, '&quot;')
      .replace(/'/g, '&apos;')
      // Characters XML 1.0 cannot carry at all (controls but tab, newline, carriage return).
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`)
  );
}

function testCase(r: CheckResult): string {
  const attrs = `name="${xmlEscape(r.kernel)}" classname="${xmlEscape(`kvmsim.${r.scenario}`)}" file="${xmlEscape(r.file)}"`;
  if (r.verdict === 'clean') return `    <testcase ${attrs}/>`;
  if (r.verdict === 'bounded') return `    <testcase ${attrs}>\n      <skipped message="${xmlEscape(`no findings within bound (${r.bound ?? r.strategy}): not a proof`)}"/>\n    </testcase>`;
  const kinds = [...new Set(r.findings.map((f) => f.kind))].join(', ');
  const message = `${r.findings.length} finding${r.findings.length === 1 ? '' : 's'}: ${r.findings[0]?.title ?? ''}`;
  return `    <testcase ${attrs}>\n      <failure message="${xmlEscape(message)}" type="${xmlEscape(kinds)}">${xmlEscape(formatCheck(r))}</failure>\n    </testcase>`;
}

/** The JUnit XML document of a check's results. */
export function checkToJunit(results: readonly CheckResult[]): string {
  const suites = new Map<string, CheckResult[]>();
  for (const r of results) {
    const key = `${r.scenario}\n${r.file}`;
    const s = suites.get(key);
    if (s === undefined) suites.set(key, [r]);
    else s.push(r);
  }
  const count = (rs: readonly CheckResult[], v: CheckResult['verdict']): number => rs.filter((r) => r.verdict === v).length;
  const body = [...suites.values()].map((rs) => {
    const first = rs[0] as CheckResult;
    const head = `  <testsuite name="${xmlEscape(first.scenario)}" file="${xmlEscape(first.file)}" tests="${rs.length}" failures="${count(rs, 'findings')}" skipped="${count(rs, 'bounded')}" errors="0">`;
    return [head, ...rs.map(testCase), '  </testsuite>'].join('\n');
  });
  const all = `tests="${results.length}" failures="${count(results, 'findings')}" skipped="${count(results, 'bounded')}" errors="0"`;
  return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="kvmsim check" ${all}>\n${body.join('\n')}\n</testsuites>\n`;
}
