// Fidelity without /dev/kvm (issue 14): the live kernel's answers recorded with `kvmsim conform --live
// --record` (scenarios/conformance/live/*.json, with uname -r) hold the model to them on every run, here
// or on a machine that has no /dev/kvm: every recorded outcome must be one the model allows, and meet the
// results the catalogue states.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { recordingPath } from '../../src/cli/commands/conform.js';
import { conformanceVersion } from '../../src/native/conform.js';
import { runModel } from '../../src/native/model.js';
import { parseRecording, recordedVsModel, type Recording } from '../../src/native/recording.js';
import { ROOT, shipped } from '../helpers/scenarios.js';

const liveDir = join(ROOT, 'scenarios', 'conformance', 'live');
const recordings = readdirSync(liveDir)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((f) => parseRecording(readFileSync(join(liveDir, f), 'utf8'), f));
const { version } = conformanceVersion();

describe('the model against the recorded live answers', () => {
  it('has a recording of every catalogue scenario, from one kernel', () => {
    const catalogue = readdirSync(join(ROOT, 'scenarios', 'conformance')).filter((f) => f.endsWith('.yaml'));
    expect(recordings.map((r) => r.scenario).sort()).toEqual(catalogue.map((f) => `scenarios/conformance/${f}`).sort());
    for (const f of catalogue) expect(recordingPath(`scenarios/conformance/${f}`)).toBe(`scenarios/conformance/live/${f.replace(/\.yaml$/, '.json')}`);
    expect(new Set(recordings.map((r) => r.kernel)).size).toBe(1);
  });

  it.each(recordings.map((r) => [r.scenario, r] as const))('%s: every recorded outcome is one the model allows', (_file, rec) => {
    const prog = shipped(rec.scenario.replace(/^scenarios\//, ''));
    expect(recordedVsModel(prog, version, runModel(prog, version), rec)).toBeNull();
  });

  it('sees a recorded answer the model does not give (a tampered recording)', () => {
    const rec = recordings.find((r) => r.scenario.endsWith('add-del-bad-addr.yaml')) as Recording;
    const first = rec.outcomes[0] as Recording['outcomes'][number];
    const setup = [...(first.results.setup ?? [])];
    setup[3] = '0';
    const tampered: Recording = { ...rec, outcomes: [{ ...first, results: { ...first.results, setup } }] };
    const prog = shipped('conformance/add-del-bad-addr.yaml');
    const d = recordedVsModel(prog, version, runModel(prog, version), tampered);
    expect(d).not.toBeNull();
    expect(d?.index).toBe(3);
  });
});
