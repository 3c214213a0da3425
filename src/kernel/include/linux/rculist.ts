/**
 * include/linux/rculist.h and include/linux/rcupdate.h — the RCU list
 * primitives kvm_main.c uses for kvm->devices since ea54dd374232 (v6.10).
 * Lists are arrays in the model (the kernel's list_head, head first); the
 * writers hold kvm->lock, so the mutation is covered by that lock's visible
 * operations and needs none of its own.
 */

/** list_add_rcu: publish `item` at the head of `list`. */
export function list_add_rcu<T>(item: T, list: T[]): void {
  list.unshift(item);
}

/** list_del_rcu: unlink `item`; readers already past it may still see it until a grace period ends. */
export function list_del_rcu<T>(item: T, list: T[]): void {
  const i = list.indexOf(item);
  if (i >= 0) list.splice(i, 1);
}

/**
 * synchronize_rcu: waits for every RCU read-side critical section that began
 * before the call. The model has no RCU readers of kvm->devices (they are
 * arm64 vgic-its paths), so the grace period ends at once: no visible
 * operation, and no lock dependency (lockdep does not track grace periods).
 */
export function synchronize_rcu(): void {}
