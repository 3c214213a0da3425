/**
 * include/uapi/linux/kvm.h — the parts of the KVM uAPI kvmsim models: ioctl
 * numbers, the device-control structs and the kvm-vfio attribute groups.
 * Values as of v6.2 (the FILE names are the v6.6 renames; the numbers did not change).
 */
import { _IO, _IOW, _IOWR } from './ioctl.js';

export const KVMIO = 0xae;
export const KVM_API_VERSION = 12;

export const KVM_GET_API_VERSION = _IO(KVMIO, 0x00);
export const KVM_CREATE_VM = _IO(KVMIO, 0x01);
export const KVM_CHECK_EXTENSION = _IO(KVMIO, 0x03);
export const KVM_CREATE_VCPU = _IO(KVMIO, 0x41);

/** struct kvm_create_device { __u32 type; __u32 fd; __u32 flags; } — 12 bytes. */
export const SIZEOF_KVM_CREATE_DEVICE = 12;
/** struct kvm_device_attr { __u32 flags; __u32 group; __u64 attr; __u64 addr; } — 24 bytes. */
export const SIZEOF_KVM_DEVICE_ATTR = 24;

export const KVM_CREATE_DEVICE = _IOWR(KVMIO, 0xe0, SIZEOF_KVM_CREATE_DEVICE);
export const KVM_SET_DEVICE_ATTR = _IOW(KVMIO, 0xe1, SIZEOF_KVM_DEVICE_ATTR);
export const KVM_GET_DEVICE_ATTR = _IOW(KVMIO, 0xe2, SIZEOF_KVM_DEVICE_ATTR);
export const KVM_HAS_DEVICE_ATTR = _IOW(KVMIO, 0xe3, SIZEOF_KVM_DEVICE_ATTR);

export const KVM_CAP_DEVICE_CTRL = 89;

/** Bit 0 of kvm_create_device.flags: only test whether the type exists. */
export const KVM_CREATE_DEVICE_TEST = 1;

/** enum kvm_device_type (the order fixes the values). */
export const KVM_DEV_TYPE_FSL_MPIC_20 = 1;
export const KVM_DEV_TYPE_FSL_MPIC_42 = 2;
export const KVM_DEV_TYPE_XICS = 3;
export const KVM_DEV_TYPE_VFIO = 4;
export const KVM_DEV_TYPE_ARM_VGIC_V2 = 5;
export const KVM_DEV_TYPE_FLIC = 6;
export const KVM_DEV_TYPE_ARM_VGIC_V3 = 7;
export const KVM_DEV_TYPE_ARM_VGIC_ITS = 8;
export const KVM_DEV_TYPE_XIVE = 9;
export const KVM_DEV_TYPE_ARM_PV_TIME = 10;
export const KVM_DEV_TYPE_RISCV_AIA = 11;
export const KVM_DEV_TYPE_MAX = 12;

/** kvm-vfio attribute group and attributes (GROUP names are the pre-6.6 aliases). */
export const KVM_DEV_VFIO_FILE = 1;
export const KVM_DEV_VFIO_GROUP = KVM_DEV_VFIO_FILE;
export const KVM_DEV_VFIO_FILE_ADD = 1;
export const KVM_DEV_VFIO_GROUP_ADD = KVM_DEV_VFIO_FILE_ADD;
export const KVM_DEV_VFIO_FILE_DEL = 2;
export const KVM_DEV_VFIO_GROUP_DEL = KVM_DEV_VFIO_FILE_DEL;
export const KVM_DEV_VFIO_GROUP_SET_SPAPR_TCE = 3;
