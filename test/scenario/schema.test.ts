import { readFileSync } from 'node:fs';
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
