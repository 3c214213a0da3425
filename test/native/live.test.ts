// The live executor against the running kernel: skipped, with the reason
// printed once, where /dev/kvm is not usable (or dist/ is not built).
import { afterAll, describe, expect, it } from 'vitest';
import { conformScenario } from '../../src/native/conform.js';
import { fdLeaks, fdSnapshot } from '../../src/native/leak.js';
import { LiveExecutor } from '../../src/native/live.js';
import type { Libc } from '../../src/native/libc.js';
import { liveSkip, probe, program } from './helpers.js';

const live = liveSkip === null && probe.libc !== null ? new LiveExecutor(probe.libc) : null;
afterAll(async () => live?.close());
const runs = 20;

describe.skipIf(live === null)(`live kernel (${liveSkip ?? probe.reason})`, () => {
  it.each([
    'create-device',
    'recreate-after-close',
    'forked-child-eio',
    'dup-device-fd',
    'vm-closed-first',
    'precedence-enxio-efault',
    'exit-with-device-open',
  ])('conformance/%s: the live kernel answers like the model, leaking no fd', async (name) => {
    const c = await conformScenario(program(`scenarios/conformance/${name}.yaml`), 'v6.18', { executor: live!, runs });
    expect(c.modelVsCatalogue).toBeNull();
    expect(c.live).toMatchObject({ kind: 'ran', vsModel: null, vsCatalogue: null, leaks: [] });
  });

  it('races to create the single kvm-vfio device: exactly one of three wins, in every run', async () => {
    const prog = program('scenarios/conformance/race-create-3.yaml');
    let winners = 0;
    for (let i = 0; i < runs; i++) {
      const r = await live!.run(prog);
      const results = ['a', 'b', 'c'].map((t) => r.records.get(t)?.[0]);
      expect(results.filter((x) => x === '0 fd=5')).toHaveLength(1);
      expect(results.filter((x) => x === '-1 EBUSY')).toHaveLength(2);
      expect(r.leaks).toEqual([]);
      winners++;
    }
    expect(winners).toBe(runs);
  });

  it('reports a deliberately wrong recorded result as a divergence of model and live kernel alike', async () => {
    const c = await conformScenario(program('test/native/fixtures/wrong-expectation.yaml'), 'v6.18', { executor: live!, runs });
    expect(c.modelVsCatalogue).toMatchObject({ index: 4, left: '0', right: '-1 ENXIO' });
    expect(c.live).toMatchObject({ kind: 'ran', vsModel: null, vsCatalogue: { index: 4, left: '0', right: '-1 ENXIO' } });
  });

  it('refuses a scenario that needs VFIO with a diagnostic, running nothing', async () => {
    const before = fdSnapshot();
    const c = await conformScenario(program('test/native/fixtures/needs-vfio.yaml'), 'v6.18', { executor: live!, runs });
    expect(c.live?.kind).toBe('refused');
    await expect(live!.run(program('test/native/fixtures/needs-vfio.yaml'))).rejects.toThrow(/needs-vfio\.yaml:8:5: open\("\/dev\/vfio\/7"\)/);
    expect(fdLeaks(before)).toEqual([]);
  });

  it.each(['two-vms', 'forked-child-eio'])('closes every fd when a run of %s fails half-way', async (name) => {
    const real = probe.libc!;
    let calls = 0;
    const failing: Libc = {
      ...real,
      ioctl: (fd, req, arg) => {
        if (++calls === 3) throw new Error('injected failure');
        return real.ioctl(fd, req, arg);
      },
    };
    const ex = new LiveExecutor(failing);
    const before = fdSnapshot();
    const prog = program(`scenarios/conformance/${name}.yaml`);
    await expect(ex.run(prog)).rejects.toThrow('injected failure');
    await ex.close();
    expect(fdLeaks(before)).toEqual([]);
  });

  it('notices a leak of any file a scenario can open', () => {
    const before = fdSnapshot();
    const l = probe.libc!;
    const fds = [l.open('/dev/kvm', 0o2000002), l.open('/dev/null', 0o2000002)];
    expect(fdLeaks(before)).toEqual(['/dev/kvm ×1', '/dev/null ×1']);
    for (const fd of fds) l.close(fd);
    expect(fdLeaks(before)).toEqual([]);
  });
});
