import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { formatDiagnostic } from '../../src/scenario/diagnostics.js';
import { loadScenario } from '../../src/scenario/load.js';

const dir = new URL('../../scenarios/', import.meta.url);
const files = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => /\.ya?ml$/.test(f));

describe('shipped scenarios', () => {
  it.each(files)('%s loads without diagnostics', (f) => {
    const source = readFileSync(new URL(f, dir), 'utf8');
    const r = loadScenario(source, f);
    expect(r.ok ? [] : r.diagnostics.map((d) => formatDiagnostic(d, source))).toEqual([]);
  });
});
