/** Scenario texts shared by the scenario tests. */

/** The example of design.md §4, verbatim. */
export const DESIGN_EXAMPLE = `name: vfio-device-closed-last
about: Every KVM reference is gone except a kvmgt driver's; the VFIO device is closed last.
kernel: all                      # or a list of versions
host:
  vfio:
    groups: [ { id: 7, devices: [ { name: gvt0, driver: kvmgt } ] } ]
setup:                           # runs first, sequentially, in process "qemu"
  - kvm = open("/dev/kvm")
  - vm = ioctl(kvm, KVM_CREATE_VM)
  - kv = ioctl(vm, KVM_CREATE_DEVICE, {type: KVM_DEV_TYPE_VFIO})
  - container = open("/dev/vfio/vfio")
  - group = open("/dev/vfio/7")
  - ioctl(group, VFIO_GROUP_SET_CONTAINER, container)
  - ioctl(container, VFIO_SET_IOMMU, VFIO_TYPE1v2_IOMMU)
  - ioctl(kv, KVM_SET_DEVICE_ATTR, {group: KVM_DEV_VFIO_FILE, attr: KVM_DEV_VFIO_FILE_ADD, fd: group})
  - dev = ioctl(group, VFIO_GROUP_GET_DEVICE_FD, "gvt0")
threads:                         # run concurrently after setup; all threads of process "qemu"
  teardown: [ close(vm), close(kv) ]
  user:     [ close(dev) ]
`;

/** The setup ops of the design example, for the builder. */
export const DESIGN_SETUP = [
  'kvm = open("/dev/kvm")',
  'vm = ioctl(kvm, KVM_CREATE_VM)',
  'kv = ioctl(vm, KVM_CREATE_DEVICE, {type: KVM_DEV_TYPE_VFIO})',
  'container = open("/dev/vfio/vfio")',
  'group = open("/dev/vfio/7")',
  'ioctl(group, VFIO_GROUP_SET_CONTAINER, container)',
  'ioctl(container, VFIO_SET_IOMMU, VFIO_TYPE1v2_IOMMU)',
  'ioctl(kv, KVM_SET_DEVICE_ATTR, {group: KVM_DEV_VFIO_FILE, attr: KVM_DEV_VFIO_FILE_ADD, fd: group})',
  'dev = ioctl(group, VFIO_GROUP_GET_DEVICE_FD, "gvt0")',
];
