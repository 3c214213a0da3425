// The published JSON Schema of `kvmsim check --json` (schema/check-result.schema.json): the committed
// file is what its zod source generates, and real output — findings of every shape the shipped
// scenarios give, a clean check, a bounded one — validates against the file itself (Ajv, draft 2020-12).
import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { checkToJson } from '../../src/report/json.js';
import { checkResultJsonSchemaText } from '../../src/report/schema.js';
import { check } from '../helpers/scenarios.js';

const committed = readFileSync(new URL('../../schema/check-result.schema.json', import.meta.url), 'utf8');
const validate = new Ajv2020({ allErrors: true, strict: false }).compile(JSON.parse(committed) as object);

/** Validation errors of `json`, one line each (empty: valid). */
function errors(json: unknown): string[] {
  // Through text, as a consumer reads it: undefined fields vanish, as in the CLI's output.
  return validate(JSON.parse(JSON.stringify(json))) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`);
}

describe('check --json and its schema', () => {
  it('the committed schema is what the generator writes (npm run schema)', () => {
    expect(committed).toBe(checkResultJsonSchemaText());
  });

  it('validates real output: deadlock, lockdep, put-under-lock, use after free, data race, refcount, folded variants, clean, bounded', () => {
    const results = [
      check('vfio-device-closed-last.yaml', 'v6.2-rc5'),
      check('vfio-ap-open-races-kvm-vfio-release.yaml', 'v6.2'),
      check('device-closed-before-vm.yaml', 'v6.2-rc5'),
      check('kvm-vfio-add-races-del.yaml', 'v6.1', { minimise: false }),
      check('device-open-races-vm-teardown.yaml', 'v6.2-rc5', { minimise: false }),
      check('kvm-vfio-add-del-twins.yaml', 'v6.6'),
      check('kvm-vfio-add-races-del.yaml', 'v6.6', { maxExecutions: 3 }),
    ];
    const kinds = new Set(results.flatMap((r) => r.findings.map((f) => f.kind)));
    for (const k of ['deadlock', 'lockdep-circular', 'put-under-lock', 'use-after-free', 'data-race', 'refcount-increment-from-zero']) expect(kinds).toContain(k);
    expect(results.some((r) => r.findings.some((f) => f.variants !== undefined))).toBe(true);
    expect(results.map((r) => r.verdict)).toContain('clean');
    expect(results.map((r) => r.verdict)).toContain('bounded');
    expect(errors(checkToJson(results))).toEqual([]);
  });

  it('rejects output with a field it does not publish, or without one it requires', () => {
    const json = checkToJson([check('kvm-vfio-add-del-twins.yaml', 'v6.6')]) as { results: Record<string, unknown>[] };
    expect(errors({ ...json, extra: 1 })).not.toEqual([]);
    const { verdict: _verdict, ...noVerdict } = json.results[0] as Record<string, unknown>;
    expect(errors({ ...json, results: [noVerdict] })).not.toEqual([]);
  });

  it('gives each finding its replay token as a field of its own', () => {
    const json = checkToJson([check('vfio-device-closed-last.yaml', 'v6.2-rc5')]) as { results: { findings: { token: string; replay: string }[] }[] };
    const f = json.results[0]?.findings[0];
    expect(f?.token).toMatch(/^scenarios\/vfio-device-closed-last\.yaml@v6\.2-rc5#/);
    expect(f?.replay).toBe(`kvmsim replay '${f?.token ?? ''}'`);
  });
});
