/**
 * The device-users-N family (issue: explorer targets): the setup of
 * vfio-device-closed-last without the device open, then one thread closes
 * the VM and kvm-vfio fds while N threads each open and close their own
 * kvmgt device of group 7.
 */
import { loadScenario } from '../src/scenario/load.js';
import type { ScenarioProgram } from '../src/scenario/program.js';

/** The scenario text of device-users-N. */
export function deviceUsersYaml(n: number): string {
  const devices = Array.from({ length: n }, (_, i) => `{ name: gvt${i}, driver: kvmgt }`).join(', ');
  const users = Array.from(
    { length: n },
    (_, i) => `  user${i}: [ 'd${i} = ioctl(group, VFIO_GROUP_GET_DEVICE_FD, "gvt${i}")', 'close(d${i})' ]`,
  ).join('\n');
  const yaml = `name: device-users-${n}
kernel: all
host:
  vfio:
    groups: [ { id: 7, devices: [ ${devices} ] } ]
setup:
  - kvm = open("/dev/kvm")
  - vm = ioctl(kvm, KVM_CREATE_VM)
  - kv = ioctl(vm, KVM_CREATE_DEVICE, {type: KVM_DEV_TYPE_VFIO})
  - container = open("/dev/vfio/vfio")
  - group = open("/dev/vfio/7")
  - ioctl(group, VFIO_GROUP_SET_CONTAINER, container)
  - ioctl(container, VFIO_SET_IOMMU, VFIO_TYPE1v2_IOMMU)
  - ioctl(kv, KVM_SET_DEVICE_ATTR, {group: KVM_DEV_VFIO_FILE, attr: KVM_DEV_VFIO_FILE_ADD, fd: group})
threads:
  teardown: [ close(vm), close(kv) ]
${users}
`;
  return yaml;
}

export function deviceUsers(n: number): ScenarioProgram {
  const r = loadScenario(deviceUsersYaml(n), `device-users-${n}.yaml`);
  if (!r.ok) throw new Error(`device-users-${n}: ${JSON.stringify(r.diagnostics)}`);
  return r.program;
}
