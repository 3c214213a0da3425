/**
 * The VFIO drivers a scenario's host may bind devices to, by name (what
 * module a real host would have loaded and bound with driver_override). Not
 * a kernel file: the kernel finds drivers by bus matching.
 */
import type { DriverName } from '../../../scenario/program.js';
import { intel_gvt_init_device, intel_vgpu_dev_ops } from '../gpu/drm/i915/gvt/kvmgt.js';
import type { Machine } from '../../machine.js';
import { vfio_ap_matrix_dev_ops } from '../s390/crypto/vfio_ap_ops.js';
import { vfio_pci_ops } from './pci/vfio_pci.js';
import type { vfio_device_ops, vfio_group_type } from './vfio.js';

/** A driver's callbacks and the host properties of the devices it drives. */
export interface vfio_driver {
  readonly ops: vfio_device_ops;
  /** Physical functions sit in real IOMMU groups; mdevs in emulated ones. */
  readonly group_type: vfio_group_type;
  /**
   * device_iommu_capable(dev, IOMMU_CAP_ENFORCE_CACHE_COHERENCY): true for a
   * PCI function behind an IOMMU with snoop control; false for an mdev (no
   * IOMMU behind the device), which makes kvm-vfio register non-coherent DMA.
   */
  readonly coherent: boolean;
  /**
   * The parent device's probe, once before any of the driver's devices is
   * created (i915's intel_gvt_init_device for kvmgt): state the driver's
   * devices share belongs to the host, not to the first device.
   */
  readonly parent_probe?: (machine: Machine) => void;
}

/** DriverName -> driver. */
export const vfio_drivers: { readonly [K in DriverName]: vfio_driver } = {
  'vfio-pci': { ops: vfio_pci_ops, group_type: 'VFIO_IOMMU', coherent: true },
  kvmgt: { ops: intel_vgpu_dev_ops, group_type: 'VFIO_EMULATED_IOMMU', coherent: false, parent_probe: intel_gvt_init_device },
  // vfio_register_emulated_iommu_dev: an mdev, no IOMMU behind it.
  'vfio-ap': { ops: vfio_ap_matrix_dev_ops, group_type: 'VFIO_EMULATED_IOMMU', coherent: false },
};
