/**
 * Symmetry reduction (the explorer issue: "threads running the same program
 * on interchangeable objects are explored once per equivalence class"). The
 * caller names classes of interchangeable threads: threads of one program
 * such that swapping two of them, together with everything each allocated,
 * maps every execution to an execution. A state is then named by a canonical
 * image of it: the threads of each class sorted by what they have observed,
 * and every name of theirs — the thread's name, the stable ids of what it
 * allocated — renamed to the name of the place it sorts to. Two states with
 * one image are renamings of each other, and so are their futures: exploring
 * one explores the other up to the renaming (dpor.ts reads a cached state's
 * sleep set and summary back through it).
 *
 * The renaming is applied to the whole, exact state, so an order that is not
 * the best one (threads that tie) costs reduction, never soundness. What it
 * asks of the model: an interchangeable thread's name appears in model data
 * only as a whole string, a thread reference, or the head of a stable id
 * (`name/n`) — never inside a longer string.
 *
 * Renaming a state must not mean hashing it again. Hashes that may mention
 * roles are kept *relative* (Relative): a role enters as a slot, numbered by
 * first appearance, and the roles bound to the slots are listed beside the
 * hash; under a renaming only that list is mapped (`bound`).
 */
import { Hash } from './fingerprint.js';

/** A renaming of roles: `perm[r]` is the role that role `r` becomes. */
export type Perm = readonly number[];

export class Symmetry {
  /** The interchangeable threads' names, by role. */
  readonly roles: readonly string[];
  /** Each class's roles, in the order given. */
  readonly classes: readonly (readonly number[])[];
  private readonly index = new Map<string, number>();
  /** roleOf's answers (the same stable ids come back at every step); null: no role. */
  private readonly known = new Map<string, { role: number; rest: string } | null>();

  /** @param classes - names of interchangeable threads, one list per class (two or more each, all distinct). */
  constructor(classes: readonly (readonly string[])[]) {
    const roles: string[] = [];
    this.classes = classes.map((names) => {
      if (names.length < 2) throw new Error(`a class of interchangeable threads needs two or more: ${names.join(', ')}`);
      return names.map((n) => {
        if (n.includes('/') || this.index.has(n)) throw new Error(`bad or repeated thread name in a symmetry class: ${n}`);
        this.index.set(n, roles.length);
        roles.push(n);
        return roles.length - 1;
      });
    });
    this.roles = roles;
  }

  /** The role a name belongs to (a role's thread name, or a stable id it allocated), and what follows the role's name. */
  roleOf(name: string): { role: number; rest: string } | undefined {
    let r = this.known.get(name);
    if (r === undefined) {
      const slash = name.indexOf('/');
      const role = this.index.get(slash < 0 ? name : name.slice(0, slash));
      r = role === undefined ? null : { role, rest: slash < 0 ? '' : name.slice(slash) };
      if (this.known.size < 1 << 16) this.known.set(name, r);
    }
    return r ?? undefined;
  }

  /** The role of a thread by its name, if it is one. */
  roleOfThread(name: string): number | undefined {
    return this.index.get(name);
  }

  /**
   * The renaming that sorts each class's roles by `sig` (ties keep their
   * order): role r goes to the place its signature sorts to.
   */
  canonical(sig: (role: number) => string): Perm {
    const perm = this.roles.map((_, r) => r);
    for (const cls of this.classes) {
      const sigs = cls.map(sig);
      const order = cls.map((_, i) => i).sort((x, y) => ((sigs[x] as string) < (sigs[y] as string) ? -1 : (sigs[x] as string) > (sigs[y] as string) ? 1 : x - y));
      order.forEach((from, place) => {
        perm[cls[from] as number] = cls[place] as number;
      });
    }
    return perm;
  }

  /** Renames names under `perm` (names of no role are left as they are). */
  renamer(perm: Perm): (name: string) => string {
    return (name) => {
      const r = this.roleOf(name);
      return r === undefined ? name : `${this.roles[perm[r.role] as number] as string}${r.rest}`;
    };
  }

  /** "user0, user1 and user2 interchangeable; …" */
  describe(): string {
    return this.classes
      .map((cls) => {
        const names = cls.map((r) => this.roles[r] as string);
        return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1] as string} interchangeable`;
      })
      .join('; ');
  }
}

/** The inverse renaming. */
export function invert(perm: Perm): Perm {
  const inv: number[] = [];
  perm.forEach((to, from) => {
    inv[to] = from;
  });
  return inv;
}

/** Whether a renaming changes nothing. */
export function isIdentity(perm: Perm): boolean {
  return perm.every((to, from) => to === from);
}

/**
 * Role-relative naming for one hash: a role's names enter as `@slot…`, slots
 * numbered in order of first appearance; `roles` lists the role of each slot.
 */
export class Relative {
  readonly roles: number[] = [];
  constructor(private readonly sym: Symmetry) {}

  /** The namer to give Hash: role names become slots, other names stay. */
  readonly name = (name: string): string => {
    const r = this.sym.roleOf(name);
    if (r === undefined) return name;
    let slot = this.roles.indexOf(r.role);
    if (slot < 0) {
      slot = this.roles.length;
      this.roles.push(r.role);
    }
    return `@${slot}${r.rest}`;
  };
}

/**
 * A relative hash made absolute under a renaming: the hash and the (renamed)
 * roles of its slots, avalanched for summing.
 */
export function bound(a: number, b: number, roles: readonly number[], perm: Perm | null): { a: number; b: number } {
  const h = new Hash().num(a).num(b);
  for (const r of roles) h.num(perm === null ? r : (perm[r] as number));
  return h.mixed();
}
