/**
 * The uAPI as data, for scenario validation and for the live backend: every
 * ioctl request kvmsim knows with the kind of its third argument, and every
 * named constant a scenario may use.
 */
import * as kvm from './linux/kvm.js';
import * as vfio from './linux/vfio.js';

/** How an ioctl's third argument is passed. */
export type IoctlArgKind = 'none' | 'int' | 'fdptr' | 'string' | 'kvm_create_device' | 'kvm_device_attr';

export interface IoctlInfo {
  readonly name: string;
  readonly number: number;
  readonly arg: IoctlArgKind;
  /** Whether a successful call returns a new fd. */
  readonly returnsFd: boolean;
}

const def = (name: string, number: number, arg: IoctlArgKind, returnsFd = false): IoctlInfo => ({
  name,
  number,
  arg,
  returnsFd,
});

export const IOCTLS: readonly IoctlInfo[] = [
  def('KVM_GET_API_VERSION', kvm.KVM_GET_API_VERSION, 'none'),
  def('KVM_CREATE_VM', kvm.KVM_CREATE_VM, 'int', true),
  def('KVM_CHECK_EXTENSION', kvm.KVM_CHECK_EXTENSION, 'int'),
  def('KVM_CREATE_VCPU', kvm.KVM_CREATE_VCPU, 'int', true),
  def('KVM_CREATE_DEVICE', kvm.KVM_CREATE_DEVICE, 'kvm_create_device', true),
  def('KVM_SET_DEVICE_ATTR', kvm.KVM_SET_DEVICE_ATTR, 'kvm_device_attr'),
  def('KVM_GET_DEVICE_ATTR', kvm.KVM_GET_DEVICE_ATTR, 'kvm_device_attr'),
  def('KVM_HAS_DEVICE_ATTR', kvm.KVM_HAS_DEVICE_ATTR, 'kvm_device_attr'),
  def('VFIO_GET_API_VERSION', vfio.VFIO_GET_API_VERSION, 'none'),
  def('VFIO_CHECK_EXTENSION', vfio.VFIO_CHECK_EXTENSION, 'int'),
  def('VFIO_SET_IOMMU', vfio.VFIO_SET_IOMMU, 'int'),
  def('VFIO_GROUP_SET_CONTAINER', vfio.VFIO_GROUP_SET_CONTAINER, 'fdptr'),
  def('VFIO_GROUP_UNSET_CONTAINER', vfio.VFIO_GROUP_UNSET_CONTAINER, 'none'),
  def('VFIO_GROUP_GET_DEVICE_FD', vfio.VFIO_GROUP_GET_DEVICE_FD, 'string', true),
];

const byName = new Map(IOCTLS.map((i) => [i.name, i]));
const byNumber = new Map(IOCTLS.map((i) => [i.number, i]));

export function ioctlByName(name: string): IoctlInfo | undefined {
  return byName.get(name);
}

export function ioctlByNumber(n: number): IoctlInfo | undefined {
  return byNumber.get(n);
}

/** Named integer constants a scenario may use (ioctl numbers excluded). */
export const CONSTANTS: ReadonlyMap<string, number> = new Map(
  [...Object.entries(kvm), ...Object.entries(vfio)].filter(
    (e): e is [string, number] => typeof e[1] === 'number' && !byName.has(e[0]) && !e[0].startsWith('SIZEOF_'),
  ),
);
