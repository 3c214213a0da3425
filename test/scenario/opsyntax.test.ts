import { describe, expect, it } from 'vitest';
import { parseOp, printOp, tokenizeOp } from '../../src/scenario/opsyntax.js';

const EXAMPLES = [
  'kvm = open("/dev/kvm")',
  'vm = ioctl(kvm, KVM_CREATE_VM)',
  'ioctl(kv, KVM_SET_DEVICE_ATTR, {group: KVM_DEV_VFIO_FILE, attr: KVM_DEV_VFIO_FILE_ADD, fd: group}) = 0',
  'ioctl(kv, KVM_HAS_DEVICE_ATTR, {group: 1, attr: 3}) = -1 ENXIO',
  'close(dev)',
  'd2 = dup(kv)',
  'child = fork()',
  'exit()',
  'ioctl(kv, KVM_SET_DEVICE_ATTR, BADPTR) = -1 EFAULT',
  'ioctl(kv, 0x1234) = -1 ENOTTY',
  'ioctl(vm, KVM_CREATE_DEVICE, {type: KVM_DEV_TYPE_VFIO, flags: KVM_CREATE_DEVICE_TEST}) = 0',
];

function parsed(text: string) {
  const r = parseOp(text);
  if (!r.ok) throw new Error(`${text}: ${r.error.message}`);
  return r.op;
}

describe('parseOp', () => {
  it.each(EXAMPLES)('round-trips %s', (text) => {
    expect(printOp(parsed(text))).toBe(text);
  });

  it('normalises spacing when printing', () => {
    expect(printOp(parsed('  x=ioctl( kv ,KVM_HAS_DEVICE_ATTR,{group:1,attr:-0x2})=-1   EBUSY '))).toBe(
      'x = ioctl(kv, KVM_HAS_DEVICE_ATTR, {group: 1, attr: -0x2}) = -1 EBUSY',
    );
  });

  it('records the offset of every token', () => {
    const text = 'ioctl(kv, KVM_HAS_DEVICE_ATTR, {group: 1, attr: 3}) = -1 ENXIO';
    const op = parsed(text);
    const at = (s: { start: number; end: number }): string => text.slice(s.start, s.end);
    expect(op.assign).toBeNull();
    expect(at(op.call.span)).toBe('ioctl');
    expect(op.args.map((a) => at(a.span))).toEqual(['kv', 'KVM_HAS_DEVICE_ATTR', '{group: 1, attr: 3}']);
    const s = op.args[2];
    expect(s?.kind).toBe('struct');
    if (s?.kind !== 'struct') return;
    expect(s.fields.map((f) => [f.name, f.nameSpan.start, at(f.value.span)])).toEqual([
      ['group', 32, '1'],
      ['attr', 42, '3'],
    ]);
    expect(op.result).toEqual({ kind: 'errno', name: 'ENXIO', span: { start: 54, end: 62 }, nameSpan: { start: 57, end: 62 } });
    expect(at(op.argsSpan)).toBe('(kv, KVM_HAS_DEVICE_ATTR, {group: 1, attr: 3})');
  });

  it('decodes integers and strings', () => {
    const op = parsed('ioctl(-1, 0xAE01, "a\\"b\\\\c") = 12');
    expect(op.args.map((a) => (a.kind === 'int' || a.kind === 'string' ? a.value : null))).toEqual([-1, 0xae01, 'a"b\\c']);
    expect(op.result).toMatchObject({ kind: 'ret', value: 12 });
  });

  it('tokenizes with offsets', () => {
    const { tokens, error } = tokenizeOp('vm = ioctl(kvm, 7)');
    expect(error).toBeNull();
    expect(tokens.map((t) => [t.kind, t.text, t.span.start])).toEqual([
      ['ident', 'vm', 0],
      ['punct', '=', 3],
      ['ident', 'ioctl', 5],
      ['punct', '(', 10],
      ['ident', 'kvm', 11],
      ['punct', ',', 14],
      ['int', '7', 16],
      ['punct', ')', 17],
      ['eof', '', 18],
    ]);
  });

  const errors: [string, string, number, number, string | null][] = [
    ['close(vm', 'KVS201', 8, 8, null],
    ['close vm)', 'KVS201', 6, 8, 'vm'],
    ['open("/dev/kvm)', 'KVS202', 5, 15, null],
    ['open("a\\n")', 'KVS202', 7, 9, null],
    ['close(12ab)', 'KVS203', 6, 10, null],
    ['close(0x)', 'KVS203', 6, 8, null],
    ['close(vm) = -2 EBUSY', 'KVS201', 15, 20, 'EBUSY'],
    ['close(vm) = EBUSY', 'KVS201', 12, 17, 'EBUSY'],
    ['close(vm) = 0 0', 'KVS201', 14, 15, '0'],
    ['ioctl(kv, X, {group 1})', 'KVS201', 20, 21, '1'],
    ['ioctl(kv, X, {group: 1,})', 'KVS201', 23, 24, '}'],
    ['ioctl(kv, X,)', 'KVS201', 12, 13, ')'],
    ['x = = open()', 'KVS201', 4, 5, '='],
    ['close(vm) @', 'KVS201', 10, 11, '@'],
    ['', 'KVS201', 0, 0, 'end of op'],
  ];
  it.each(errors)('reports %j as %s at its token', (text, code, start, end, found) => {
    const r = parseOp(text);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe(code);
    expect(r.error.span).toEqual({ start, end });
    if (found !== null) expect(r.error.found).toBe(found);
    expect(r.error.message).not.toBe('');
    expect(r.error.expected).not.toBe('');
  });

  it('keeps the assigned name of an op that fails to parse', () => {
    const r = parseOp('dev = ioctl(group, VFIO_GROUP_GET_DEVICE_FD, "gvt0)');
    expect(r).toMatchObject({ ok: false, assign: 'dev' });
  });
});
