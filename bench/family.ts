/**
 * The benchmark's scenario families. device-users-N (issue: explorer
 * targets): the setup of vfio-device-closed-last without the device open,
 * then one thread closes the VM and kvm-vfio fds while N threads each open
 * and close their own kvmgt device of group 7. twins-N (symmetry reduction):
 * scenarios/kvm-vfio-add-del-twins with N threads, each adding group 7 to the
 * kvm-vfio device and deleting it. shared-fd-N (issue 13's "nothing in it
 * depends on the order"): N threads each ask the shared /dev/kvm fd for its
 * API version.
 */
import { loadScenario } from '../src/scenario/load.js';
import type { ScenarioProgram } from '../src/scenario/program.js';

/** A VM, its kvm-vfio device, and group 7 (with `devices`) in a container: the setup both families share. */
function vmWithGroup(name: string, devices: readonly string[]): string {
  return `name: ${name}
kernel: all
host:
  vfio:
    groups: [ { id: 7, devices: [ ${devices.map((d) => `{ name: ${d}, driver: kvmgt }`).join(', ')} ] } ]
setup:
  - kvm = open("/dev/kvm")
  - vm = ioctl(kvm, KVM_CREATE_VM)
  - kv = ioctl(vm, KVM_CREATE_DEVICE, {type: KVM_DEV_TYPE_VFIO})
  - container = open("/dev/vfio/vfio")
  - group = open("/dev/vfio/7")
  - ioctl(group, VFIO_GROUP_SET_CONTAINER, container)
  - ioctl(container, VFIO_SET_IOMMU, VFIO_TYPE1v2_IOMMU)
`;
}

function load(yaml: string, name: string): ScenarioProgram {
  const r = loadScenario(yaml, `${name}.yaml`);
  if (!r.ok) throw new Error(`${name}: ${JSON.stringify(r.diagnostics)}`);
  return r.program;
}

const ADD = 'ioctl(kv, KVM_SET_DEVICE_ATTR, {group: KVM_DEV_VFIO_FILE, attr: KVM_DEV_VFIO_FILE_ADD, fd: group})';
const DEL = 'ioctl(kv, KVM_SET_DEVICE_ATTR, {group: KVM_DEV_VFIO_FILE, attr: KVM_DEV_VFIO_FILE_DEL, fd: group})';

/** The scenario text of device-users-N. */
export function deviceUsersYaml(n: number): string {
  const devices = Array.from({ length: n }, (_, i) => `gvt${i}`);
  const users = devices.map((d, i) => `  user${i}: [ 'd${i} = ioctl(group, VFIO_GROUP_GET_DEVICE_FD, "${d}")', 'close(d${i})' ]`);
  return `${vmWithGroup(`device-users-${n}`, devices)}  - ${ADD}
threads:
  teardown: [ close(vm), close(kv) ]
${users.join('\n')}
`;
}

export function deviceUsers(n: number): ScenarioProgram {
  return load(deviceUsersYaml(n), `device-users-${n}`);
}

/** The scenario text of twins-N. */
export function twinsYaml(n: number): string {
  const twins = Array.from({ length: n }, (_, i) => `  twin${i}:\n    - ${ADD}\n    - ${DEL}`);
  return `${vmWithGroup(`twins-${n}`, ['gvt0'])}threads:
${twins.join('\n')}
`;
}

export function twins(n: number): ScenarioProgram {
  return load(twinsYaml(n), `twins-${n}`);
}

/** The scenario text of shared-fd-N. */
export function sharedFdYaml(n: number): string {
  const threads = Array.from({ length: n }, (_, i) => `  t${i}: [ 'ioctl(kvm, KVM_GET_API_VERSION) = 12' ]`);
  return `name: shared-fd-${n}
kernel: v6.2
setup:
  - kvm = open("/dev/kvm")
threads:
${threads.join('\n')}
`;
}

export function sharedFd(n: number): ScenarioProgram {
  return load(sharedFdYaml(n), `shared-fd-${n}`);
}
