// The library's boundary (issue 17, items 2 and 3): options a JavaScript caller gets wrong are
// OptionsErrors naming the option, never an internal TypeError or a clean verdict after nothing.
import { describe, expect, it } from 'vitest';
import { checkScenario, type CheckOptions } from '../../src/api/check.js';
import { OptionsError } from '../../src/api/options.js';
import { loadScenario } from '../../src/scenario/load.js';

const prog = (() => {
  const r = loadScenario('name: t\nthreads:\n  a: [ \'open("/dev/kvm")\' ]\n', 't.yaml');
  if (!r.ok) throw new Error('fixture');
  return r.program;
})();

const check = (opts: unknown) => () => checkScenario(prog, 'v6.2', opts as CheckOptions);

describe('check options', () => {
  it('refuses an unknown strategy, naming the known ones', () => {
    expect(check({ strategy: 'bfs' })).toThrow(OptionsError);
    expect(check({ strategy: 'bfs' })).toThrow(/option strategy must be one of dpor, dfs, random, pct, replay, round-robin; got "bfs"/);
  });

  it('refuses bounds that explore nothing, rather than answering clean', () => {
    expect(check({ maxExecutions: -1 })).toThrow(/option maxExecutions must be a positive integer; got -1/);
    expect(check({ maxExecutions: 0 })).toThrow(OptionsError);
    expect(check({ maxSteps: 1.5 })).toThrow(/maxSteps/);
    expect(check({ sample: -1 })).toThrow(/option sample must be an integer ≥ 0/);
  });

  it('refuses values of the wrong type', () => {
    expect(check({ cache: 'yes' })).toThrow(/option cache must be true or false; got "yes"/);
    expect(check({ schedule: 'a,b', strategy: 'replay' })).toThrow(/option schedule must be an array of thread names/);
    expect(check({ schedule: ['a'] })).toThrow(/given only with strategy 'replay'/);
    expect(check(null)).toThrow(/options must be an object/);
  });

  it('takes what is well formed (the twin: the same program checks clean)', () => {
    expect(checkScenario(prog, 'v6.2', { strategy: 'dfs', maxExecutions: 10, sample: 0, cache: false }).verdict).toBe('clean');
  });
});

describe('loadScenario at the boundary', () => {
  it('answers a diagnostic, not a TypeError, when given no text', () => {
    const r = loadScenario(undefined as unknown as string, 'none.yaml');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.diagnostics[0]).toMatchObject({ file: 'none.yaml', line: 1, col: 1, found: 'undefined', message: 'no scenario text to load' });
  });
});
