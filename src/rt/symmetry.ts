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
 * Device symmetry (scalarsets, as in Murphi) is the same renaming with more
 * names: a role may carry aliases — the host device only its thread names,
 * the variables only it binds — and each alias is renamed to the matching
 * alias of the role it goes to, under the same rule (a whole string or the
 * head of a stable id: a device's objects are allocated under its name,
 * Execution.hostScope). Lists the model declares order-insensitive
 * (rt/unordered.ts) hash as multisets, so renaming the devices in them does
 * not reorder the state; that declaration is checked in every execution.
 *
 * Renaming a state must not mean hashing it again. Hashes that may mention
 * roles are kept *relative* (Relative): a role enters as a slot, numbered by
 * first appearance, and the roles bound to the slots are listed beside the
 * hash; under a renaming only that list is mapped (`bound`).
 */
import { Hash } from './fingerprint.js';

/** A renaming of roles: `perm[r]` is the role that role `r` becomes. */
export type Perm = readonly number[];

/**
 * One interchangeable thread and the names that are renamed along with it
 * (device symmetry: the host device it alone names, the variables it alone
 * binds). Alias k of one role corresponds to alias k of every other role of
 * its class.
 */
export interface RoleSpec {
  readonly thread: string;
  readonly aliases: readonly string[];
}

/** A class of interchangeable threads; `kinds` says what each alias is, for reports ("devices"). */
export interface RoleClass {
  readonly roles: readonly (string | RoleSpec)[];
  readonly kinds?: readonly string[];
}

/** A name of a role: which role, which of its names (0: the thread's; k: alias k), and what follows it. */
export interface RoleName {
  readonly role: number;
  readonly kind: number;
  readonly rest: string;
}

export class Symmetry {
  /** The interchangeable threads' names, by role. */
  readonly roles: readonly string[];
  /** Each role's names: its thread's, then its aliases. */
  readonly names: readonly (readonly string[])[];
  /** Each class's roles, in the order given. */
  readonly classes: readonly (readonly number[])[];
  /** Whether some role has aliases (names renamed along with threads: device symmetry). */
  readonly hasAliases: boolean;
  /** Each class's alias kinds (what reports call them). */
  private readonly kinds: readonly (readonly string[])[];
  private readonly index = new Map<string, { role: number; kind: number }>();
  /** roleOf's answers (the same stable ids come back at every step); null: no role. */
  private readonly known = new Map<string, RoleName | null>();

  /**
   * @param classes - interchangeable threads, one list per class (two or more
   *   each, all names distinct), each a thread's name or a thread with aliases
   *   (every role of a class with as many).
   */
  constructor(classes: readonly (readonly (string | RoleSpec)[] | RoleClass)[]) {
    const roles: string[] = [];
    const names: string[][] = [];
    const kinds: (readonly string[])[] = [];
    this.classes = classes.map((c) => {
      const cls = 'roles' in c ? c : { roles: c };
      const specs = cls.roles.map((r) => (typeof r === 'string' ? { thread: r, aliases: [] } : r));
      if (specs.length < 2) throw new Error(`a class of interchangeable threads needs two or more: ${specs.map((r) => r.thread).join(', ')}`);
      const width = (specs[0] as RoleSpec).aliases.length;
      kinds.push(cls.kinds ?? []);
      return specs.map((spec) => {
        if (spec.aliases.length !== width) throw new Error(`roles of one class need as many aliases: ${spec.thread}`);
        const role = roles.length;
        [spec.thread, ...spec.aliases].forEach((n, kind) => {
          if (n === '' || n.includes('/') || n.startsWith('@') || this.index.has(n)) throw new Error(`bad or repeated name in a symmetry class: ${n}`);
          this.index.set(n, { role, kind });
        });
        roles.push(spec.thread);
        names.push([spec.thread, ...spec.aliases]);
        return role;
      });
    });
    this.roles = roles;
    this.names = names;
    this.kinds = kinds;
    this.hasAliases = names.some((n) => n.length > 1);
  }


  /** The role a name belongs to (one of a role's names, or a stable id headed by one), and what follows the role's name. */
  roleOf(name: string): RoleName | undefined {
    let r = this.known.get(name);
    if (r === undefined) {
      const slash = name.indexOf('/');
      const at = this.index.get(slash < 0 ? name : name.slice(0, slash));
      r = at === undefined ? null : { role: at.role, kind: at.kind, rest: slash < 0 ? '' : name.slice(slash) };
      if (this.known.size < 1 << 16) this.known.set(name, r);
    }
    return r ?? undefined;
  }

  /** The role of a thread by its name, if it is one. */
  roleOfThread(name: string): number | undefined {
    const at = this.index.get(name);
    return at !== undefined && at.kind === 0 ? at.role : undefined;
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
      return r === undefined ? name : `${(this.names[perm[r.role] as number] as readonly string[])[r.kind] as string}${r.rest}`;
    };
  }

  /** "user0…user7 interchangeable, with devices gvt0…gvt7; a and b interchangeable" */
  describe(): string {
    return this.classes
      .map((cls, c) => {
        const list = (kind: number): string => and(cls.map((r) => (this.names[r] as readonly string[])[kind] as string));
        // Aliases of an empty kind are renamed but not worth a word (a device's objects, with the device).
        const along = (this.kinds[c] ?? []).flatMap((what, k) => (what === '' ? [] : [`${what} ${list(k + 1)}`]));
        return `${list(0)} interchangeable${along.length > 0 ? `, with ${along.join(', ')}` : ''}`;
      })
      .join('; ');
  }
}

/** "a, b and c"; a run of three or more numbered names as "gvt0…gvt7". */
function and(names: readonly string[]): string {
  const m = names.map((n) => /^(.*?)(\d+)$/.exec(n));
  const head = m[0]?.[1];
  const first = Number(m[0]?.[2]);
  if (names.length >= 3 && m.every((x, i) => x !== null && x[1] === head && Number(x[2]) === first + i && x[2] === String(first + i))) {
    return `${names[0] as string}…${names[names.length - 1] as string}`;
  }
  return `${names.slice(0, -1).join(', ')} and ${names[names.length - 1] as string}`;
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
    return r.kind === 0 ? `@${slot}${r.rest}` : `@${slot}:${r.kind}${r.rest}`;
  };
}

/**
 * A relative naming's view of names where the order they come in must not
 * matter (the elements of an order-insensitive list): a role it has already
 * slotted by its slot, any other role by its kind alone — no slot is taken.
 */
export function blind(rel: Relative, sym: Symmetry): (name: string) => string {
  return (name) => {
    const r = sym.roleOf(name);
    if (r === undefined) return name;
    const slot = rel.roles.indexOf(r.role);
    return slot < 0 ? `@?:${r.kind}${r.rest}` : r.kind === 0 ? `@${slot}${r.rest}` : `@${slot}:${r.kind}${r.rest}`;
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
