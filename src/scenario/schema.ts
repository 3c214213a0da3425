/**
 * The shape of a scenario document (YAML), as a zod schema: the single source
 * of truth for the document's structure and for schema/scenario.schema.json.
 * Meaning (known ioctls, variables, versions …) is checked by compile.ts.
 */
import { z } from 'zod';

/**
 * One system call, strace-like: `[var =] call(args) [= result]`. The JSON
 * Schema's pattern checks only the head (an optional binding, a call the
 * language knows): an editor flags a misspelt call at once, the loader says
 * the rest with its diagnostics; the examples are what editors offer to
 * complete.
 */
export const OpString = z
  .string()
  .meta({
    // For editors only (in the JSON Schema, not in zod's parse): the loader's own diagnostics say more (KVS3xx).
    pattern: '^\\s*(?:[A-Za-z_][A-Za-z0-9_]*\\s*=\\s*)?(?:open|close|dup|ioctl|exit|fork)\\s*\\(',
    description: 'One system call, strace-like: `[var =] call(arg, …) [= N | = -1 ERRNO]`; calls: open, close, dup, ioctl, exit, fork.',
    examples: [
      'kvm = open("/dev/kvm")',
      'vm = ioctl(kvm, KVM_CREATE_VM)',
      'kv = ioctl(vm, KVM_CREATE_DEVICE, {type: KVM_DEV_TYPE_VFIO})',
      'container = open("/dev/vfio/vfio")',
      'group = open("/dev/vfio/7")',
      'ioctl(group, VFIO_GROUP_SET_CONTAINER, container) = 0',
      'ioctl(container, VFIO_SET_IOMMU, VFIO_TYPE1v2_IOMMU) = 0',
      'ioctl(kv, KVM_SET_DEVICE_ATTR, {group: KVM_DEV_VFIO_FILE, attr: KVM_DEV_VFIO_FILE_ADD, fd: group}) = 0',
      'ioctl(kv, KVM_SET_DEVICE_ATTR, {group: KVM_DEV_VFIO_FILE, attr: KVM_DEV_VFIO_FILE_DEL, fd: group})',
      'dev = ioctl(group, VFIO_GROUP_GET_DEVICE_FD, "gvt0")',
      'close(dev) = 0',
      'fd = dup(kvm)',
      'child = fork()',
      'exit()',
    ],
  });

/** A list of ops, run in order by one thread. */
export const OpList = z.array(OpString);

/** A VFIO device on the host and the driver bound to it. */
export const HostDeviceDoc = z.strictObject({
  name: z.string().min(1).meta({ description: 'Device name, as passed to VFIO_GROUP_GET_DEVICE_FD.' }),
  driver: z.enum(['vfio-pci', 'kvmgt', 'vfio-ap']).meta({ description: 'The VFIO driver bound to the device.' }),
});

/** An IOMMU group (/dev/vfio/ID) and its devices. */
export const HostGroupDoc = z.strictObject({
  id: z.number().int().nonnegative().meta({ description: 'IOMMU group number: the group opens as /dev/vfio/<id>.' }),
  devices: z.array(HostDeviceDoc).default([]),
});

/** `host.vfio`: "none", null, or the groups. */
export const VfioDoc = z.union(
  [
    z.literal('none'),
    z.null(),
    z.strictObject({ groups: z.array(HostGroupDoc).default([]) }),
  ],
  { error: '"none", or a mapping {groups: [{id, devices: [{name, driver}]}]}' },
);

/** `host:` — the machine the scenario runs on. */
export const HostDoc = z.strictObject({
  vfio: VfioDoc.optional().meta({ description: 'VFIO on the host; absent, null or "none" = no VFIO in the kernel.' }),
});

/** A `threads:` entry: ops (main process) or `{process, ops}`. */
export const ThreadDoc = z.union(
  [
    OpList,
    z.strictObject({
      process: z.string().min(1).meta({ description: 'The process the thread runs in (the main process or a fork() name).' }),
      ops: OpList,
    }),
  ],
  { error: 'a list of op strings, or a mapping {process: NAME, ops: [op strings]}' },
);

/** `kernel:` — "all", a version, or a list of versions (names checked by compile.ts). */
export const KernelDoc = z.union([z.string().min(1), z.array(z.string().min(1)).min(1)], {
  error: '"all", a kernel version name, or a list of version names',
});

/** The whole scenario document. Unknown keys are rejected at every level. */
export const ScenarioDocument = z
  .strictObject({
    name: z.string().min(1).meta({ description: 'Scenario name.' }),
    about: z.string().optional().meta({ description: 'What the scenario shows, in a sentence or two.' }),
    kernel: KernelDoc.default('all').meta({ description: 'Kernel versions to check: "all", one version, or a list.' }),
    process: z.string().min(1).default('qemu').meta({ description: 'Name of the main process (setup runs in it).' }),
    host: HostDoc.optional().meta({ description: 'The host machine; without it, there is no VFIO.' }),
    setup: OpList.default([]).meta({ description: 'Ops run first, sequentially, in the main process.' }),
    threads: z
      .record(z.string(), ThreadDoc)
      .default({})
      .meta({ description: 'Threads run concurrently after setup: name → ops, or {process, ops}.' }),
  })
  // No web home to point at: a URN names the schema (editors use the file path or URL they are given).
  .meta({ $id: 'urn:kvmsim:schema:scenario:v1', title: 'kvmsim scenario' });

/** A scenario document after parsing (defaults applied). */
export type ScenarioDocumentOutput = z.output<typeof ScenarioDocument>;
/** A scenario document as written. */
export type ScenarioDocumentInput = z.input<typeof ScenarioDocument>;
/** `host:` after parsing. */
export type HostDocOutput = z.output<typeof HostDoc>;
/** A `threads:` entry after parsing. */
export type ThreadDocOutput = z.output<typeof ThreadDoc>;
/** A `threads:` entry as written (the builder's thread spec). */
export type ThreadDocInput = z.input<typeof ThreadDoc>;
/** `kernel:` after parsing. */
export type KernelDocOutput = z.output<typeof KernelDoc>;

/** The JSON Schema (draft 2020-12) of a scenario document, for editors and tools. */
export function scenarioJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(ScenarioDocument, { io: 'input', target: 'draft-2020-12' });
}

/** The text of schema/scenario.schema.json: the JSON Schema, pretty-printed, with a final newline. */
export function scenarioJsonSchemaText(): string {
  return `${JSON.stringify(scenarioJsonSchema(), null, 2)}\n`;
}
