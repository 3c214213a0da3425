// Known model gaps (scenarios/conformance/gaps/): behaviours outside the
// catalogue where the live kernel answers differently from the model. Each
// must still diverge in the model (when the model learns it, move the file
// into the catalogue) and, where /dev/kvm is usable, the live kernel must
// still give the recorded results.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { conformScenario } from '../../src/native/conform.js';
import { LiveExecutor } from '../../src/native/live.js';
import { ROOT } from '../helpers/scenarios.js';
import { liveSkip, probe, program } from './helpers.js';

const GAPS = readdirSync(join(ROOT, 'scenarios', 'conformance', 'gaps')).filter((f) => f.endsWith('.yaml')).sort();
const live = liveSkip === null && probe.libc !== null ? new LiveExecutor(probe.libc) : null;
afterAll(async () => live?.close());

describe('known model gaps', () => {
  it.each(GAPS)('gaps/%s: the model still diverges from the recorded (live) results', async (f) => {
    const c = await conformScenario(program(`scenarios/conformance/gaps/${f}`), 'v6.18', null);
    expect(c.modelVsCatalogue).not.toBeNull();
  });

  it.skipIf(live === null).each(GAPS)(`gaps/%s: the live kernel gives the recorded results (${liveSkip ?? 'live'})`, async (f) => {
    const c = await conformScenario(program(`scenarios/conformance/gaps/${f}`), 'v6.18', { executor: live!, runs: 1 });
    expect(c.live).toMatchObject({ kind: 'ran', vsCatalogue: null, leaks: [] });
    expect(c.live?.kind === 'ran' && c.live.vsModel).not.toBeNull();
  });
});
