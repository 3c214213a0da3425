import { describe, expect, it } from 'vitest';
import { VERSION_NAMES } from '../../src/kernel/versions.js';
import { DIAGNOSTIC_CODES, type Diagnostic } from '../../src/scenario/diagnostics.js';
import { loadScenario } from '../../src/scenario/load.js';

function diags(src: string): readonly Diagnostic[] {
  const r = loadScenario(src, 's.yaml');
  if (r.ok) throw new Error('expected diagnostics');
  for (const d of r.diagnostics) {
    expect(d.file).toBe('s.yaml');
    expect(Object.hasOwn(DIAGNOSTIC_CODES, d.code)).toBe(true);
    expect(d.message).not.toBe('');
    expect(d.expected).not.toBe('');
  }
  return r.diagnostics;
}

/** The only diagnostic of a source. */
function one(src: string): Diagnostic {
  const ds = diags(src);
  expect(ds.map((d) => `${d.line}:${d.col} ${d.code} ${d.message}`)).toHaveLength(1);
  return ds[0] as Diagnostic;
}

const where = (d: Diagnostic): string => `${d.line}:${d.col} ${d.code}`;

const SETUP = `name: t
setup:
  - kvm = open("/dev/kvm")
  - vm = ioctl(kvm, KVM_CREATE_VM)
  - kv = ioctl(vm, KVM_CREATE_DEVICE, {type: KVM_DEV_TYPE_VFIO})
`;

describe('diagnostics: ops', () => {
  it('unknown ioctl, with the closest name', () => {
    const d = one('name: t\nsetup:\n  - kvm = open("/dev/kvm")\n  - vm = ioctl(kvm, KVM_CREATE_VM)\n  - kv = ioctl(vm, KVM_CREATE_DEVCE, {type: KVM_DEV_TYPE_VFIO})\n');
    expect(where(d)).toBe('5:20 KVS303');
    expect(d).toMatchObject({ endLine: 5, endCol: 36, found: 'KVM_CREATE_DEVCE' });
    expect(d.message).toBe('unknown ioctl request "KVM_CREATE_DEVCE" (did you mean KVM_CREATE_DEVICE?)');
    expect(d.expected).toMatch(/^one of KVM_GET_API_VERSION, .*KVM_CREATE_DEVICE, /);
  });

  it('undefined fd variable, with a suggestion or the reason', () => {
    const d = one(`${SETUP}  - close(vmm)\n`);
    expect(where(d)).toBe('6:11 KVS309');
    expect(d.message).toBe('undefined fd variable "vmm" (did you mean vm?)');
    expect(d.expected).toBe('a variable assigned earlier (kvm, vm, kv) or an fd number');
    expect(one(`${SETUP}  - close(dev)\n  - dev = dup(kv)\n`).message).toMatch(/"dev" is assigned only later, in op 5 of setup/);
    const other = one(`${SETUP}threads:\n  a: [ d = dup(kv) ]\n  b: [ close(d) ]\n`);
    expect(where(other)).toBe('8:14 KVS309');
    expect(other.message).toMatch(/assigned in thread "a"/);
    const forked = one(`${SETUP}  - child = fork()\n  - late = dup(kv)\nthreads:\n  kid: {process: child, ops: [close(late)]}\n`);
    expect(where(forked)).toBe('9:37 KVS309');
    expect(forked.message).toMatch(/after "child = fork\(\)", so process child does not have it/);
  });

  it('points inside quoted scalars, escapes included', () => {
    expect(where(one(`${SETUP}  - "close(vmm)"\n`))).toBe('6:12 KVS309');
    expect(where(one(`${SETUP}  - "open(\\"/dev/kvmx\\") = -1 EBUSSY"\n`))).toBe('6:31 KVS313');
    expect(where(one(`${SETUP}  - 'close(vm) = -1 EBUSSY'\n`))).toBe('6:21 KVS313');
    expect(one(`${SETUP}  - 'open(''x'')'\n`)).toMatchObject({ line: 6, col: 11, endCol: 13, code: 'KVS201' });
  });

  it('wrong argument types', () => {
    const str = one(`${SETUP}  - ioctl(kv, KVM_SET_DEVICE_ATTR, "x")\n`);
    expect(where(str)).toBe('6:36 KVS304');
    expect(str.message).toBe('KVM_SET_DEVICE_ATTR takes a struct kvm_device_attr, found a string');
    expect(str.found).toBe('"x"');
    const field = one(`${SETUP}  - ioctl(kv, KVM_SET_DEVICE_ATTR, {grup: 1, attr: 2})\n`);
    expect(where(field)).toBe('6:37 KVS305');
    expect(field.message).toBe('unknown field "grup" in struct kvm_device_attr (did you mean group?)');
    expect(field.expected).toBe('one of flags, group, attr, fd, addr');
    const missing = one(`${SETUP}  - ioctl(kv, KVM_HAS_DEVICE_ATTR, {group: 1})\n`);
    expect(where(missing)).toBe('6:36 KVS306');
    expect(missing).toMatchObject({ endCol: 46, found: '{group: 1}' });
    expect(missing.message).toBe('struct kvm_device_attr is missing required field "attr"');
    expect(where(one(`${SETUP}  - ioctl(kv, KVM_HAS_DEVICE_ATTR, {group: 1, attr: 1, group: 2})\n`))).toBe('6:56 KVS307');
    expect(where(one(`${SETUP}  - ioctl(kv, KVM_HAS_DEVICE_ATTR, {group: 1, attr: 1, addr: 0})\n`))).toBe('6:62 KVS304');
    expect(where(one(`${SETUP}  - ioctl(kv, KVM_HAS_DEVICE_ATTR, {group: 1, attr: 1, fd: kv, addr: BADPTR})\n`))).toBe('6:64 KVS304');
    expect(where(one(`${SETUP}  - ioctl(kv, KVM_HAS_DEVICE_ATTR, {group: KVM_DEV_VFIO_FLIE, attr: 1})\n`))).toBe('6:44 KVS308');
    expect(where(one(`${SETUP}  - ioctl(kv, VFIO_GROUP_SET_CONTAINER, "c")\n`))).toBe('6:41 KVS304');
    expect(where(one(`${SETUP}  - ioctl(kv, KVM_GET_API_VERSION, 1)\n`))).toBe('6:36 KVS302');
    expect(where(one(`${SETUP}  - ioctl(kv, VFIO_GROUP_GET_DEVICE_FD)\n`))).toBe('6:39 KVS302');
    expect(where(one(`${SETUP}  - ioctl(kv, 0x1234, {a: 1})\n`))).toBe('6:23 KVS304');
    expect(where(one(`${SETUP}  - open(kv)\n`))).toBe('6:10 KVS304');
    expect(where(one(`${SETUP}  - close(kv, vm)\n`))).toBe('6:15 KVS302');
    expect(where(one(`${SETUP}  - openat("/dev/kvm")\n`))).toBe('6:5 KVS301');
  });

  it('unknown errno and impossible results in expectations', () => {
    const d = one(`${SETUP}  - close(kvm) = -1 EBUSSY\n`);
    expect(where(d)).toBe('6:21 KVS313');
    expect(d.message).toBe('unknown errno "EBUSSY" (did you mean EBUSY?)');
    expect(where(one(`${SETUP}  - close(kvm) = -22\n`))).toBe('6:18 KVS314');
    expect(where(one(`${SETUP}  - c = fork() = 0\n`))).toBe('6:18 KVS314');
  });

  it('exit() not last, fork() outside setup, bad assignments', () => {
    const exit = one(`${SETUP}threads:\n  t: [exit(), close(kvm)]\n`);
    expect(where(exit)).toBe('7:7 KVS312');
    expect(exit.message).toBe('exit() must be the last op of thread "t"');
    expect(where(one(`${SETUP}  - exit()\n  - close(kv)\n`))).toBe('6:5 KVS312');
    const inMain = one(`${SETUP}  - exit()\nthreads:\n  t: [close(kv)]\n`);
    expect(where(inMain)).toBe('6:5 KVS312');
    expect(inMain.message).toMatch(/ends process "qemu", but thread "t" run/);
    const fork = one(`${SETUP}threads:\n  t: [c = fork()]\n`);
    expect(where(fork)).toBe('7:11 KVS311');
    expect(where(one(`${SETUP}  - fork()\n`))).toBe('6:5 KVS310');
    expect(where(one(`${SETUP}  - x = close(kv)\n`))).toBe('6:5 KVS310');
    expect(where(one(`${SETUP}  - qemu = fork()\n`))).toBe('6:5 KVS405');
  });

  it('op syntax errors, at the token', () => {
    const d = one(`${SETUP}  - close(vm) = 0 0\n`);
    expect(where(d)).toBe('6:19 KVS201');
    expect(d.found).toBe('0');
    expect(where(one(`${SETUP}  - open("/dev/kvm\n`))).toBe('6:10 KVS202');
    expect(where(one(`${SETUP}  - close(0x)\n`))).toBe('6:11 KVS203');
  });
});

describe('diagnostics: document', () => {
  it('YAML syntax errors', () => {
    const ds = diags('name: t\nsetup:\n  - close(1)\n - close(2)\n');
    expect(ds.length).toBeGreaterThan(0);
    expect(ds.every((d) => d.code === 'KVS001' && d.line === 4)).toBe(true);
    expect(where(one('name: t\nthreads:\n  a: [close(1)\n'))).toBe('4:1 KVS001');
    expect(where(one('name: a\nname: b\n'))).toBe('2:1 KVS002');
  });

  it('unknown kernel version', () => {
    const d = one('name: t\nkernel: v6.4\n');
    expect(where(d)).toBe('2:9 KVS401');
    expect(d.found).toBe('v6.4');
    expect(d.expected).toBe(`"all" or one of ${VERSION_NAMES.join(', ')}`);
    const [v] = VERSION_NAMES as [string];
    // `kernel: [` is 9 columns; the items follow at 10, 10+len+2, …
    const c = 10 + v.length;
    expect(diags(`name: t\nkernel: [${v}, v9, all, ${v}]\n`).map(where)).toEqual([`2:${c + 2} KVS401`, `2:${c + 6} KVS401`, `2:${c + 11} KVS408`]);
  });

  it('thread names: invalid, reserved, duplicate', () => {
    const ds = diags(`${SETUP}threads:\n  2x: [close(kv)]\n  setup: [close(kv)]\n  a: [close(vm)]\n  a: [close(kv)]\n`);
    expect(ds.map(where)).toEqual(['7:3 KVS402', '8:3 KVS402', '10:3 KVS403']);
    expect(ds[2]?.message).toBe('duplicate thread name "a"');
  });

  it('unknown keys at any level, missing and mistyped values', () => {
    const top = one('name: t\ncolour: blue\n');
    expect(where(top)).toBe('2:1 KVS101');
    expect(top.message).toBe('unknown key "colour"');
    expect(top.expected).toBe('one of name, about, kernel, process, host, setup, threads');
    expect(one('name: t\nthred: {}\n').message).toBe('unknown key "thred" (did you mean threads?)');
    expect(where(one('about: x\n'))).toBe('1:1 KVS102');
    expect(where(one('name: t\nsetup: close(1)\n'))).toBe('2:8 KVS103');
    expect(where(one('name: t\nsetup: [close(1), 3]\n'))).toBe('2:19 KVS103');
    expect(where(one('name: t\nkernel: 3\n'))).toBe('2:9 KVS103');
    expect(where(one(''))).toBe('1:1 KVS103');
    const drv = one('name: t\nhost:\n  vfio:\n    groups:\n      - id: 1\n        devices: [{name: d, driver: vfio-ccw}]\n');
    expect(where(drv)).toBe('6:37 KVS104');
    expect(drv.expected).toBe('one of "vfio-pci", "kvmgt", "vfio-ap"');
    const th = diags('name: t\nthreads:\n  z: { process: qemu, opz: [] }\n');
    expect(th.map(where)).toEqual(['3:6 KVS102', '3:23 KVS101']);
    expect(th[1]?.message).toBe('unknown key "opz" in threads.z (did you mean ops?)');
  });

  it('host: duplicate group ids and device names; unknown process', () => {
    const ds = diags(`name: t
host:
  vfio:
    groups:
      - {id: 1, devices: [{name: a, driver: vfio-pci}]}
      - {id: 1, devices: [{name: a, driver: kvmgt}]}
threads:
  t: {process: child, ops: [exit()]}
`);
    expect(ds.map(where)).toEqual(['6:14 KVS406', '6:34 KVS407', '8:16 KVS404']);
  });
});

describe('diagnostics: many at once', () => {
  it('reports every mistake of a file, in position order', () => {
    const src = `name: many
kernel: [v6.4]
colour: blue
setup:
  - kvm = open("/dev/kvm")
  - vm = ioctl(kvm, KVM_CREATE_VMM)
  - kv = ioctl(vm, KVM_CREATE_DEVICE, "vfio")
  - ioctl(kv, KVM_SET_DEVICE_ATTR, {group: 1, attr: 1, fd: grp}) = -1 EBUSSY
threads:
  a: [exit(), close(vm)]
  b: [c = fork()]
  b: [close(kv)]
`;
    expect(diags(src).map(where)).toEqual([
      '2:10 KVS401',
      '3:1 KVS101',
      '6:21 KVS303',
      '7:39 KVS304',
      '8:60 KVS309',
      '8:71 KVS313',
      '10:7 KVS312',
      '11:11 KVS311',
      '12:3 KVS403',
    ]);
  });

  it('never throws on odd input', () => {
    for (const src of ['{', ']', 'name: [', '- - -', 'name: t\nsetup: [(]', 'name: t\nsetup:\n  - ",', '\t', 'a: *x', 'name: t\nthreads:\n  a: {process: 1}']) {
      expect(loadScenario(src, 'x.yaml').ok).toBe(false);
    }
  });
});
