import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { readYaml } from '../../src/scenario/yamlsource.js';
import { allShipped, ROOT } from '../helpers/scenarios.js';
import { describe, expect, it } from 'vitest';
import { ScenarioDocument, scenarioJsonSchema, scenarioJsonSchemaText } from '../../src/scenario/schema.js';

describe('scenario JSON Schema', () => {
  it('the committed schema/scenario.schema.json is what the generator writes (npm run schema)', () => {
    const committed = readFileSync(new URL('../../schema/scenario.schema.json', import.meta.url), 'utf8');
    expect(committed).toBe(scenarioJsonSchemaText());
  });

  it('describes the document: required name, no unknown keys, defaults', () => {
    const s = scenarioJsonSchema() as { required?: string[]; additionalProperties?: unknown; properties?: Record<string, { default?: unknown }> };
    expect(s.required).toEqual(['name']);
    expect(s.additionalProperties).toBe(false);
    expect(Object.keys(s.properties ?? {})).toEqual(['name', 'about', 'kernel', 'process', 'host', 'setup', 'threads']);
    expect(s.properties?.['kernel']?.default).toBe('all');
    expect(s.properties?.['process']?.default).toBe('qemu');
  });

  it('applies defaults when parsing', () => {
    expect(ScenarioDocument.parse({ name: 'x' })).toEqual({ name: 'x', kernel: 'all', process: 'qemu', setup: [], threads: {} });
  });
});

describe('the scenario JSON Schema as an editor reads it', () => {
  const schema = JSON.parse(readFileSync(new URL('../../schema/scenario.schema.json', import.meta.url), 'utf8')) as object;
  const validate = new Ajv2020({ allErrors: true, strict: false }).compile(schema);

  it('names itself, and offers ops to complete', () => {
    expect((schema as { $id?: string }).$id).toBe('urn:kvmsim:schema:scenario:v1');
    expect(readFileSync(new URL('../../schema/scenario.schema.json', import.meta.url), 'utf8')).toContain('"kvm = open(\\"/dev/kvm\\")"');
  });

  it('accepts every shipped scenario as kvmsim reads it, ops and all', () => {
    const bad: string[] = [];
    const conformance = readdirSync(join(ROOT, 'scenarios', 'conformance')).filter((f) => f.endsWith('.yaml')).map((f) => `conformance/${f}`);
    for (const file of [...allShipped().map((s) => s.file), ...conformance]) {
      // As kvmsim reads it: an unquoted op holding `{a: b}` is one op (yamlsource.ts), where strict YAML sees a mapping.
      const doc = readYaml(readFileSync(join(ROOT, 'scenarios', file), 'utf8'), file);
      if (!validate(doc.value)) bad.push(`${file}: ${JSON.stringify(validate.errors)}`);
    }
    expect(bad).toEqual([]);
  });

  it('flags an op whose call it does not know, as an editor would underline it', () => {
    expect(validate({ name: 't', setup: ['kvm = open("/dev/kvm")', 'clsoe(kvm)'] })).toBe(false);
    expect(validate({ name: 't', threads: { a: ['x = dup(kvm) = 5', 'ioctl (x, KVM_GET_API_VERSION)', 'exit()'] } })).toBe(true);
  });
});
