// The model side of conformance explores as `check` does (state caching, symmetry): an execution cut
// short at a state explored before has its result records completed from that state's summary, so the
// behaviours it finds must be exactly those an exploration without caching finds.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { diverges } from '../../src/native/conform.js';
import { runModel } from '../../src/native/model.js';
import { recordKey } from '../../src/native/recorder.js';
import { allShipped, ROOT, shipped } from '../helpers/scenarios.js';

const behaviours = (r: ReturnType<typeof runModel>): string[] => r.records.map(recordKey).sort();

describe('the model side of conformance', () => {
  const catalogue = readdirSync(join(ROOT, 'scenarios', 'conformance'))
    .filter((f) => f.startsWith('race-') && f.endsWith('.yaml'))
    .map((f) => ({ file: `conformance/${f}`, program: shipped(`conformance/${f}`), kernels: ['v6.18'] }));
  // The twins (symmetry) on one version: without caching they take a minute on all of them.
  const concurrent = allShipped().map(({ file, program }) => ({ file, program, kernels: file.includes('twins') ? ['v6.6'] : program.kernels }));
  for (const { file, program, kernels } of [...catalogue, ...concurrent]) {
    it(`allows with state caching exactly the behaviours it allows without: ${file}`, () => {
      for (const k of kernels) {
        const cached = runModel(program, k);
        const plain = runModel(program, k, { cache: false });
        expect(cached.complete && plain.complete, `${file}@${k}`).toBe(true);
        expect(behaviours(cached), `${file}@${k}`).toEqual(behaviours(plain));
        expect(cached.findings.slice().sort(), `${file}@${k}`).toEqual(plain.findings.slice().sort());
      }
    });
  }

  it('says when a bound stopped it', () => {
    const r = runModel(shipped('kvm-vfio-add-races-del.yaml'), 'v6.2', { maxExecutions: 3 });
    expect(r.complete).toBe(false);
    expect(r.executions).toBe(3);
  });
});

describe('a bounded model side', () => {
  it('is not a divergence: a live outcome it did not reach may lie beyond the bound', () => {
    const prog = shipped('conformance/race-create-2.yaml');
    const model = runModel(prog, 'v6.18', { maxExecutions: 1 });
    expect(model.complete).toBe(false);
    const divergence = { thread: 't', index: 0, op: null, left: 'a', right: 'b' };
    const live = { kind: 'ran', runs: 1, outcomes: [], vsModel: { run: 1, divergence, count: 1 }, vsCatalogue: null, leaks: [] } as const;
    const c = { prog, version: 'v6.18', model, modelVsCatalogue: null, live };
    expect(diverges(c as never)).toBe(false);
    // Twin: the same live outcome against a complete model is a divergence.
    expect(diverges({ ...c, model: runModel(prog, 'v6.18') })).toBe(true);
  });
});
