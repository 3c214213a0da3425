/**
 * kernel/module.c, reduced to EXPORT_SYMBOL / symbol_get: how kvm-vfio reaches
 * VFIO without a link-time dependency. A symbol is absent when the module
 * that exports it is not part of the modelled kernel (as on a host built
 * without VFIO), and symbol_get then returns null.
 */
import type { Machine } from '../machine.js';

export function EXPORT_SYMBOL(machine: Machine, name: string, fn: unknown): void {
  machine.symbols.set(name, fn);
}

/** The exported function `name`, or null. The caller asserts its type, as C's symbol_get does. */
export function symbol_get<F>(machine: Machine, name: string): F | null {
  return (machine.symbols.get(name) as F | undefined) ?? null;
}
