/**
 * drivers/vfio/pci/vfio_pci.c with drivers/vfio/pci/vfio_pci_core.c (v6.2) —
 * the vfio-pci driver as far as device lifetime goes. Enabling and disabling
 * the PCI function (BARs, interrupts, reset) takes only vfio-pci's own locks,
 * none of which nests with VFIO core, KVM or another driver, so open and
 * close have no visible operations. The KVM-using part of vfio-pci (s390
 * zPCI, vfio_pci_zdev_open_device) does not exist on x86.
 */
import type { Gen } from '../../../../rt/ops.js';
import type { task_struct } from '../../../include/linux/sched.js';
import type { vfio_device, vfio_device_ops } from '../vfio.js';

/** vfio_pci_open_device: vfio_pci_core_enable + finish_enable; never touches device->kvm. */
function* vfio_pci_open_device(_current: task_struct, _device: vfio_device): Gen<number> {
  return 0;
}

/** vfio_pci_core_close_device: vfio_pci_core_disable and eventfd cleanup; never touches device->kvm. */
function* vfio_pci_core_close_device(_current: task_struct, _device: vfio_device): Gen {}

/** vfio_pci_ops. */
export const vfio_pci_ops: vfio_device_ops = {
  name: 'vfio-pci',
  open_device: vfio_pci_open_device,
  close_device: vfio_pci_core_close_device,
};
