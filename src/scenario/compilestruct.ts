/**
 * Struct arguments of ioctls: `struct kvm_create_device` and
 * `struct kvm_device_attr`, written `{field: value, …}`, or the whole
 * argument as `BADPTR` (a pointer the kernel cannot read).
 */
import type { OpArg, OpField } from './opsyntax.js';
import type { FdRef, IntArg, IoctlArg } from './program.js';
import { ARG_KIND_TEXT, fdOperand, intOperand, src, type ArgCx } from './operands.js';
import { closest, didYouMean } from './suggest.js';

/** The struct argument kinds. */
export type StructKind = 'kvm_create_device' | 'kvm_device_attr';

type FieldType = 'int' | 'fd' | 'badptr';
interface FieldSpec {
  readonly type: FieldType;
  readonly required: boolean;
}

const STRUCTS: { readonly [K in StructKind]: Readonly<Record<string, FieldSpec>> } = {
  kvm_create_device: {
    type: { type: 'int', required: true },
    flags: { type: 'int', required: false },
  },
  kvm_device_attr: {
    flags: { type: 'int', required: false },
    group: { type: 'int', required: true },
    attr: { type: 'int', required: true },
    fd: { type: 'fd', required: false },
    addr: { type: 'badptr', required: false },
  },
};

const EXAMPLES: { readonly [K in StructKind]: string } = {
  kvm_create_device: '{type: KVM_DEV_TYPE_VFIO[, flags: KVM_CREATE_DEVICE_TEST]} or BADPTR',
  kvm_device_attr: '{group: G, attr: A[, flags: F][, fd: FD | addr: BADPTR]} or BADPTR',
};

type FieldValue = IntArg | FdRef | true;

/** Compiles the third argument of an ioctl whose argument is a struct. */
export function compileStruct(cx: ArgCx, kind: StructKind, request: string, a: OpArg): IoctlArg | null {
  if (a.kind === 'ident' && a.name === 'BADPTR') return { kind: 'badptr' };
  if (a.kind !== 'struct') {
    return cx.fail('KVS304', a.span, `${request} takes a struct ${kind}, found ${ARG_KIND_TEXT[a.kind]}`, EXAMPLES[kind]);
  }
  const spec = STRUCTS[kind];
  const names = Object.keys(spec);
  const got = new Map<string, FieldValue>();
  const seen = new Map<string, OpField>();
  const suggested = new Set<string>();
  let ok = true;
  for (const f of a.fields) {
    const fs = spec[f.name];
    if (fs === undefined) {
      ok = false;
      suggested.add(closest(f.name, names) ?? '');
      cx.fail('KVS305', f.nameSpan, `unknown field "${f.name}" in struct ${kind}${didYouMean(f.name, names)}`, `one of ${names.join(', ')}`);
      continue;
    }
    if (seen.has(f.name)) {
      ok = false;
      cx.fail('KVS307', f.nameSpan, `field "${f.name}" is given twice in struct ${kind}`, 'each field at most once');
      continue;
    }
    seen.set(f.name, f);
    const v = fieldValue(cx, fs.type, `field "${f.name}"`, f.value);
    if (v === null) ok = false;
    else got.set(f.name, v);
  }
  for (const [name, fs] of Object.entries(spec)) {
    // A misspelt field was already reported with this name as the suggestion.
    if (fs.required && !seen.has(name) && !suggested.has(name)) {
      ok = false;
      cx.fail('KVS306', a.span, `struct ${kind} is missing required field "${name}"`, EXAMPLES[kind]);
    }
  }
  const addr = seen.get('addr');
  if (addr && seen.has('fd')) {
    ok = false;
    cx.fail('KVS304', addr.nameSpan, '"addr: BADPTR" and "fd:" cannot both be given (fd: sets what addr points to)', 'either fd: FD or addr: BADPTR');
  }
  if (!ok) return null;
  const int = (name: string): IntArg => (got.get(name) as IntArg | undefined) ?? { value: 0 };
  if (kind === 'kvm_create_device') return { kind, type: int('type'), flags: int('flags') };
  const fd = (got.get('fd') as FdRef | undefined) ?? null;
  return { kind, flags: int('flags'), group: int('group'), attr: int('attr'), fd, addrBad: got.has('addr') };
}

function fieldValue(cx: ArgCx, type: FieldType, what: string, v: OpArg): FieldValue | null {
  switch (type) {
    case 'int':
      return intOperand(cx, v, what);
    case 'fd':
      return fdOperand(cx, v, what);
    case 'badptr':
      if (v.kind === 'ident' && v.name === 'BADPTR') return true;
      return cx.fail('KVS304', v.span, `${what} only accepts BADPTR (to pass an fd, write fd: FD), found ${src(cx, v.span)}`, 'BADPTR');
  }
}
