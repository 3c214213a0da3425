/**
 * arch/x86/kvm/x86.c — the assignment and non-coherent-DMA counters kvm-vfio
 * updates. Both are atomic_t in the kernel, so each update is one visible
 * operation on the VM.
 */
import { atomic } from '../../../../rt/api.js';
import type { Gen } from '../../../../rt/ops.js';
import type { kvm } from '../../../include/linux/kvm_host.js';

export function* kvm_arch_start_assignment(k: kvm): Gen {
  yield* atomic(k, 'write', 'kvm_arch_start_assignment', () => {
    k.assigned_device_count++;
  });
}

export function* kvm_arch_end_assignment(k: kvm): Gen {
  yield* atomic(k, 'write', 'kvm_arch_end_assignment', () => {
    k.assigned_device_count--;
  });
}

export function* kvm_arch_register_noncoherent_dma(k: kvm): Gen {
  yield* atomic(k, 'write', 'kvm_arch_register_noncoherent_dma', () => {
    k.noncoherent_dma_count++;
  });
}

export function* kvm_arch_unregister_noncoherent_dma(k: kvm): Gen {
  yield* atomic(k, 'write', 'kvm_arch_unregister_noncoherent_dma', () => {
    k.noncoherent_dma_count--;
  });
}
