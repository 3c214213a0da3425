import { describe, expect, it } from 'vitest';
import { CONSTANTS, ioctlByName } from '../../src/kernel/include/uapi/table.js';
import { VERSION_NAMES } from '../../src/kernel/versions.js';
import { loadScenario } from '../../src/scenario/load.js';
import type { ScenarioProgram } from '../../src/scenario/program.js';
import { DESIGN_EXAMPLE } from './fixtures.js';

function program(src: string): ScenarioProgram {
  const r = loadScenario(src, 's.yaml');
  if (!r.ok) throw new Error(r.diagnostics.map((d) => `${d.line}:${d.col} ${d.code} ${d.message}`).join('\n'));
  return r.program;
}

const SETUP = `name: t
setup:
  - kvm = open("/dev/kvm")
  - vm = ioctl(kvm, KVM_CREATE_VM)
  - kv = ioctl(vm, KVM_CREATE_DEVICE, {type: KVM_DEV_TYPE_VFIO})
`;

describe('loadScenario: the design.md §4 example', () => {
  const p = program(DESIGN_EXAMPLE);

  it('compiles the document-level fields', () => {
    expect(p.name).toBe('vfio-device-closed-last');
    expect(p.about).toBe("Every KVM reference is gone except a kvmgt driver's; the VFIO device is closed last.");
    expect(p.file).toBe('s.yaml');
    expect(p.kernels).toEqual(VERSION_NAMES);
    expect(p.process).toBe('qemu');
    expect(p.host).toEqual({ vfio: { groups: [{ id: 7, devices: [{ name: 'gvt0', driver: 'kvmgt' }] }] } });
  });

  it('compiles setup ops, struct arguments included', () => {
    expect(p.setup).toHaveLength(9);
    expect(p.setup[0]).toEqual({
      sys: 'open',
      path: '/dev/kvm',
      assign: 'kvm',
      expect: null,
      expectSince: [],
      text: 'kvm = open("/dev/kvm")',
      call: 'kvm = open("/dev/kvm")',
      site: { file: 's.yaml', line: 8, col: 5 },
    });
    expect(p.setup[1]).toMatchObject({ sys: 'ioctl', fd: { var: 'kvm' }, request: 'KVM_CREATE_VM', arg: { kind: 'int', value: { value: 0 } } });
    expect(p.setup[2]).toMatchObject({
      sys: 'ioctl',
      request: 'KVM_CREATE_DEVICE',
      requestNumber: ioctlByName('KVM_CREATE_DEVICE')?.number,
      arg: { kind: 'kvm_create_device', type: { value: CONSTANTS.get('KVM_DEV_TYPE_VFIO'), name: 'KVM_DEV_TYPE_VFIO' }, flags: { value: 0 } },
      assign: 'kv',
    });
    expect(p.setup[5]).toMatchObject({ request: 'VFIO_GROUP_SET_CONTAINER', arg: { kind: 'fdptr', fd: { var: 'container' } } });
    expect(p.setup[6]).toMatchObject({ arg: { kind: 'int', value: { value: 3, name: 'VFIO_TYPE1v2_IOMMU' } } });
    expect(p.setup[7]).toEqual({
      sys: 'ioctl',
      fd: { var: 'kv' },
      request: 'KVM_SET_DEVICE_ATTR',
      requestNumber: ioctlByName('KVM_SET_DEVICE_ATTR')?.number,
      arg: {
        kind: 'kvm_device_attr',
        flags: { value: 0 },
        group: { value: 1, name: 'KVM_DEV_VFIO_FILE' },
        attr: { value: 1, name: 'KVM_DEV_VFIO_FILE_ADD' },
        fd: { var: 'group' },
        addrBad: false,
      },
      assign: null,
      expect: null,
      expectSince: [],
      text: 'ioctl(kv, KVM_SET_DEVICE_ATTR, {group: KVM_DEV_VFIO_FILE, attr: KVM_DEV_VFIO_FILE_ADD, fd: group})',
      call: 'ioctl(kv, KVM_SET_DEVICE_ATTR, {group: KVM_DEV_VFIO_FILE, attr: KVM_DEV_VFIO_FILE_ADD, fd: group})',
      site: { file: 's.yaml', line: 15, col: 5 },
    });
    expect(p.setup[8]).toMatchObject({ request: 'VFIO_GROUP_GET_DEVICE_FD', arg: { kind: 'string', value: 'gvt0' }, assign: 'dev' });
  });

  it('compiles the threads, with sites inside flow lists', () => {
    expect(p.threads.map((t) => [t.name, t.process, t.ops.map((o) => o.text)])).toEqual([
      ['teardown', 'qemu', ['close(vm)', 'close(kv)']],
      ['user', 'qemu', ['close(dev)']],
    ]);
    expect(p.threads[0]?.ops[1]?.site).toEqual({ file: 's.yaml', line: 18, col: 26 });
    expect(p.threads[1]?.ops[0]).toEqual({ sys: 'close', fd: { var: 'dev' }, expect: null, expectSince: [], text: 'close(dev)', call: 'close(dev)', site: { file: 's.yaml', line: 19, col: 15 } });
  });
});

describe('loadScenario: semantics', () => {
  it('applies defaults: kernel all, process qemu, no host, no threads', () => {
    const p = program('name: t\n');
    expect(p).toEqual({ name: 't', about: '', file: 's.yaml', kernels: VERSION_NAMES, host: { vfio: null }, process: 'qemu', setup: [], threads: [] });
    expect(program('name: t\nhost: {vfio: none}\n').host).toEqual({ vfio: null });
    expect(program('name: t\nhost: {vfio: null}\n').host).toEqual({ vfio: null });
  });

  it('accepts a version or a list of versions, in version order', () => {
    const [first, second] = VERSION_NAMES as [string, string];
    expect(program(`name: t\nkernel: ${second}\n`).kernels).toEqual([second]);
    expect(program(`name: t\nkernel: [${second}, ${first}]\n`).kernels).toEqual([first, second]);
  });

  it('compiles expectations, raw requests, BADPTR and struct fields', () => {
    const p = program(`${SETUP}  - ioctl(kv, KVM_HAS_DEVICE_ATTR, {group: 1, attr: 3}) = -1 ENXIO
  - ioctl(kv, KVM_SET_DEVICE_ATTR, BADPTR) = -1 EFAULT
  - ioctl(kv, 0x1234) = -1 ENOTTY
  - ioctl(kv, 0x1234, "s")
  - ioctl(kv, 0x1234, vm)
  - ioctl(kv, 0x1234, KVM_DEV_TYPE_VFIO)
  - ioctl(vm, KVM_CREATE_DEVICE, {type: KVM_DEV_TYPE_VFIO, flags: KVM_CREATE_DEVICE_TEST}) = 0
  - ioctl(kv, KVM_SET_DEVICE_ATTR, {flags: 0, group: 1, attr: 1, addr: BADPTR}) = -1 EFAULT
  - ioctl(kv, KVM_SET_DEVICE_ATTR, {group: 1, attr: 1, fd: -1})
  - d2 = dup(kv) = 5
  - close(1000) = -1 EBADF
`);
    const s = p.setup.slice(3);
    expect(s[0]).toMatchObject({ arg: { kind: 'kvm_device_attr', group: { value: 1 }, attr: { value: 3 }, fd: null, addrBad: false }, expect: { errno: 'ENXIO' } });
    expect(s[1]).toMatchObject({ arg: { kind: 'badptr' }, expect: { errno: 'EFAULT' } });
    expect(s[2]).toMatchObject({ request: null, requestNumber: 0x1234, arg: { kind: 'none' }, expect: { errno: 'ENOTTY' } });
    expect(s[3]).toMatchObject({ request: null, arg: { kind: 'string', value: 's' } });
    expect(s[4]).toMatchObject({ request: null, arg: { kind: 'fdptr', fd: { var: 'vm' } } });
    expect(s[5]).toMatchObject({ request: null, arg: { kind: 'int', value: { value: 4, name: 'KVM_DEV_TYPE_VFIO' } } });
    expect(s[6]).toMatchObject({ arg: { kind: 'kvm_create_device', flags: { value: 1, name: 'KVM_CREATE_DEVICE_TEST' } }, expect: { ret: 0 } });
    expect(s[7]).toMatchObject({ arg: { kind: 'kvm_device_attr', fd: null, addrBad: true } });
    expect(s[8]).toMatchObject({ arg: { kind: 'kvm_device_attr', fd: { num: -1 } } });
    expect(s[9]).toMatchObject({ sys: 'dup', fd: { var: 'kv' }, assign: 'd2', expect: { ret: 5 } });
    expect(s[10]).toMatchObject({ sys: 'close', fd: { num: 1000 }, expect: { errno: 'EBADF' } });
  });

  it('compiles fork, child-process threads and exit', () => {
    const p = program(`${SETUP}  - child = fork()
  - extra = dup(kv)
threads:
  parent: [ close(extra), exit() ]
  kid: { process: child, ops: [ "ioctl(kv, KVM_HAS_DEVICE_ATTR, {group: 1, attr: 1}) = -1 EIO", exit() ] }
`);
    expect(p.setup[3]).toMatchObject({ sys: 'fork', assign: 'child', expect: null });
    expect(p.threads.map((t) => [t.name, t.process, t.ops.map((o) => o.sys)])).toEqual([
      ['parent', 'qemu', ['close', 'exit']],
      ['kid', 'child', ['ioctl', 'exit']],
    ]);
    expect(p.threads[1]?.ops[0]?.site).toEqual({ file: 's.yaml', line: 10, col: 34 });
    expect(program(`${SETUP}  - close(kv)\n  - exit()\n`).setup[4]).toMatchObject({ sys: 'exit' });
  });

  it('reads unquoted op lines that YAML would split, in block and flow lists', () => {
    const p = program(`${SETUP}threads:
  a:
    - ioctl(kv, KVM_HAS_DEVICE_ATTR, {group: 1, attr: 3}) = -1 ENXIO   # a comment
  b: [ ioctl(kv, KVM_HAS_DEVICE_ATTR, {group: 1, attr: 3}), close(kv) ]
`);
    expect(p.threads[0]?.ops[0]).toMatchObject({ text: 'ioctl(kv, KVM_HAS_DEVICE_ATTR, {group: 1, attr: 3}) = -1 ENXIO', site: { line: 8, col: 7 } });
    expect(p.threads[1]?.ops.map((o) => [o.text, o.site.col])).toEqual([
      ['ioctl(kv, KVM_HAS_DEVICE_ATTR, {group: 1, attr: 3})', 8],
      ['close(kv)', 61],
    ]);
  });

  it('reads a flow list that YAML splits into clean scalars at an argument comma (issue 17, item 6)', () => {
    // YAML reads `[ ioctl(kvm, KVM_GET_API_VERSION) ]` as two scalars, "ioctl(kvm" and
    // "KVM_GET_API_VERSION)", with no error of its own: "expected , or )" followed.
    const p = program(`${SETUP}threads:
  t0: [ ioctl(kvm, KVM_GET_API_VERSION) = 12 ]
  t1: [ close(kv), ioctl(kvm, KVM_CHECK_EXTENSION, 1) ]
`);
    expect(p.threads[0]?.ops.map((o) => [o.text, o.site.col])).toEqual([['ioctl(kvm, KVM_GET_API_VERSION) = 12', 9]]);
    // The twin: commas between ops still separate them.
    expect(p.threads[1]?.ops.map((o) => o.text)).toEqual(['close(kv)', 'ioctl(kvm, KVM_CHECK_EXTENSION, 1)']);
  });
});

describe('loadScenario: results that change with the kernel version', () => {
  const src = (op: string): string => `name: t\nsetup:\n  - kvm = open("/dev/kvm")\n  - ${op}\n`;

  it('compiles "= R1, R2 since V" into a plain and a versioned expectation', () => {
    const r = loadScenario(src('vm = ioctl(kvm, KVM_CREATE_VM) = -1 EBUSY, 4 since v6.2'), 's.yaml');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.program.setup[1]).toMatchObject({
      expect: { errno: 'EBUSY' },
      expectSince: [{ version: 'v6.2', expect: { ret: 4 } }],
      call: 'vm = ioctl(kvm, KVM_CREATE_VM)',
    });
  });

  it('rejects an unknown version after "since", pointing at it', () => {
    const r = loadScenario(src('vm = ioctl(kvm, KVM_CREATE_VM) = 0, 1 since v9.9'), 's.yaml');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.diagnostics[0]).toMatchObject({ code: 'KVS401', line: 4, col: 49, found: 'v9.9' });
  });

  it('requires "since" after a further result', () => {
    const r = loadScenario(src('vm = ioctl(kvm, KVM_CREATE_VM) = 0, 1 until v6.2'), 's.yaml');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.diagnostics[0]).toMatchObject({ code: 'KVS201', found: 'until' });
  });
});
