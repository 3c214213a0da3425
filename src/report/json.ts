/** Machine-readable results: versioned, stable field names; report/schema.ts publishes their JSON Schema. */
import type { CheckResult } from '../api/check.js';
import { encodeToken } from '../trace/schedule.js';

export const JSON_FORMAT_VERSION = 1;

export function checkToJson(results: readonly CheckResult[]): unknown {
  return {
    format: 'kvmsim-check',
    version: JSON_FORMAT_VERSION,
    results: results.map((r) => ({
      scenario: r.scenario,
      file: r.file,
      kernel: r.kernel,
      verdict: r.verdict,
      coverage: {
        strategy: r.strategy,
        executions: r.executions,
        complete: r.complete,
        bound: r.bound,
        statuses: r.statuses,
        ...(r.states !== undefined ? { states: r.states } : {}),
        ...(r.symmetry !== undefined ? { symmetry: r.symmetry } : {}),
        ...(r.commuting !== undefined ? { commuting: r.commuting } : {}),
      },
      stats: { steps: r.steps, executionsWithFindings: r.executionsWithFindings },
      findings: r.findings.map((f) => ({
        kind: f.kind,
        title: f.title,
        threads: f.threads,
        objects: f.objects,
        detail: f.detail,
        executions: f.executions,
        ...(f.preemptions !== undefined ? { preemptions: f.preemptions } : {}),
        ...(f.lockdep !== undefined ? { lockdep: f.lockdep } : {}),
        ...(f.confirmation !== undefined ? { confirmation: f.confirmation } : {}),
        ...(f.access !== undefined ? { access: f.access } : {}),
        ...(f.variants !== undefined ? { variants: f.variants } : {}),
        schedule: f.schedule,
        interleaving: f.interleaving ?? [],
        token: encodeToken({ file: r.file, kernel: r.kernel, schedule: f.schedule }),
        replay: `kvmsim replay '${encodeToken({ file: r.file, kernel: r.kernel, schedule: f.schedule })}'`,
      })),
    })),
  };
}
