// The README's tutorial must stay true: its scenario loads, and the report it
// shows (coverage, the one unexpected result) is what kvmsim prints.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkScenario } from '../../src/api/check.js';
import { loadScenario } from '../../src/scenario/load.js';
import { ROOT } from '../helpers/scenarios.js';

const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
const yaml = /```yaml\n(name: my-race[\s\S]*?)```/.exec(readme)?.[1];

describe('README tutorial', () => {
  it('its scenario loads and gives the report the README shows', () => {
    expect(yaml).toBeDefined();
    const r = loadScenario(yaml!, 'my-race.yaml');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const c = checkScenario(r.program, 'v6.2');
    const shown = /explored: all (\d+) executions \(complete, dpor, (\d+) distinct states\)\nverdict: {2}1 finding \(in (\d+) of \d+ executions\)/.exec(readme);
    expect(shown).not.toBeNull();
    expect(c.complete).toBe(true);
    expect(c.executions).toBe(Number(shown![1]));
    expect(c.states).toBe(Number(shown![2]));
    expect(c.findings.map((f) => f.kind)).toEqual(['expectation']);
    expect(c.executionsWithFindings).toBe(Number(shown![3]));
  });

  it('without the too-strict "= 0" it is clean on every version', () => {
    const r = loadScenario(yaml!.replace(/(FILE_DEL, fd: group\}\)) = 0/, '$1'), 'my-race.yaml');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    for (const k of r.program.kernels) expect(checkScenario(r.program, k).verdict).toBe('clean');
  });
});
