// The native backend's pure parts: ABI layouts, the virtual fd table, the
// support rules and record comparison. Run everywhere, /dev/kvm or not.
import { describe, expect, it } from 'vitest';
import { abiConsistent, CREATE_DEVICE, DEVICE_ATTR } from '../../src/native/abi.js';
import { firstDivergence, liveVsModel, resultPart, statedResult, vsCatalogue } from '../../src/native/compare.js';
import { FdTable, UNMAPPED_BASE } from '../../src/native/fdtable.js';
import { liveRefusals } from '../../src/native/support.js';
import { probe, program } from './helpers.js';

describe('probe', () => {
  it('answers usable or not with a one-line reason, on any machine', () => {
    expect(typeof probe.usable).toBe('boolean');
    expect(probe.reason).not.toMatch(/\n/);
    expect(probe.libc === null).toBe(!probe.usable);
  });
});

describe('native ABI', () => {
  it('takes struct sizes from the shared uAPI ioctl numbers', () => {
    expect(abiConsistent()).toBe(true);
    expect(CREATE_DEVICE).toMatchObject({ type: 0, fd: 4, flags: 8, size: 12 });
    expect(DEVICE_ATTR).toMatchObject({ flags: 0, group: 4, attr: 8, addr: 16, size: 24 });
  });
});

describe('virtual fd table', () => {
  it('allocates the lowest free number and frees on take', () => {
    const t = new FdTable();
    expect([t.alloc(40), t.alloc(41), t.alloc(42), t.alloc(17)]).toEqual([0, 1, 2, 3]);
    expect(t.take(1)).toBe(41);
    expect(t.take(1)).toBeNull();
    expect(t.alloc(50)).toBe(1);
    expect(t.entries()).toEqual([[0, 40], [1, 50], [2, 42], [3, 17]]);
  });

  it('maps numbers with no fd behind them above any real fd, and negative numbers to themselves', () => {
    const t = new FdTable();
    t.alloc(9);
    expect(t.toReal(0)).toBe(9);
    expect(t.toReal(1000)).toBe(UNMAPPED_BASE + 1000);
    expect(t.toReal(-1)).toBe(-1);
  });

  it('is shared through its buffer, as threads share an fd table', () => {
    const a = new FdTable();
    const b = new FdTable(a.buffer);
    a.alloc(7);
    expect(b.alloc(8)).toBe(1);
    expect(a.lookup(1)).toBe(8);
  });
});

describe('live support', () => {
  it('accepts the whole catalogue', () => {
    expect(liveRefusals(program('scenarios/conformance/forked-child-eio.yaml'))).toEqual([]);
  });

  it('refuses VFIO with a diagnostic naming file, line and column', () => {
    const r = liveRefusals(program('test/native/fixtures/needs-vfio.yaml'));
    expect(r.map((x) => x.message)).toContain('the scenario declares VFIO groups (host.vfio); the live host has no VFIO');
    expect(r.some((x) => /needs-vfio\.yaml:10:5$/.test(x.where) && x.message.includes('VFIO_GROUP_SET_CONTAINER needs VFIO'))).toBe(true);
    expect(r.some((x) => x.message.startsWith('open("/dev/vfio/7") is not run on the live host'))).toBe(true);
  });
});

describe('record comparison', () => {
  const prog = program('test/native/fixtures/wrong-expectation.yaml');
  const rec = (setup: string[]): ReadonlyMap<string, readonly string[]> => new Map([['setup', setup]]);
  const right = rec(['3', '4', '0 fd=5', '0', '-1 ENXIO', '0', '0', '0']);

  it('finds the first diverging op with both results', () => {
    const d = firstDivergence(prog, right, rec(['3', '4', '0 fd=6', '0', '0', '0', '0', '0']));
    expect(d).toMatchObject({ thread: 'setup', index: 2, left: '0 fd=5', right: '0 fd=6' });
    expect(d?.op?.call).toBe('kv = ioctl(vm, KVM_CREATE_DEVICE, {type: KVM_DEV_TYPE_VFIO})');
    expect(firstDivergence(prog, right, right)).toBeNull();
    expect(firstDivergence(prog, right, rec(['3']))).toMatchObject({ index: 1, right: '(not run)' });
  });

  it('accepts a live record equal to any model record, else reports the closest', () => {
    const other = rec(['3', '4', '-1 EBUSY', '-1 EBADF', '-1 EBADF', '-1 EBADF', '0', '0']);
    expect(liveVsModel(prog, [other, right], right)).toBeNull();
    const d = liveVsModel(prog, [other, right], rec(['3', '4', '0 fd=5', '0', '-1 EPERM', '0', '0', '0']));
    expect(d).toMatchObject({ index: 4, left: '-1 ENXIO', right: '-1 EPERM' });
  });

  it('reports a deliberately wrong recorded result as a divergence', () => {
    expect(resultPart('0 fd=5')).toBe('0');
    expect(statedResult(prog.setup[4]!, 'v6.18')).toBe('0');
    expect(vsCatalogue(prog, 'v6.18', right)).toMatchObject({ index: 4, left: '0', right: '-1 ENXIO' });
  });
});
