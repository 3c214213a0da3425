/**
 * Which scenario threads are interchangeable (for symmetry reduction,
 * rt/symmetry.ts): threads of one process whose ops are the same calls with
 * the same operands — up to the names only each of them uses:
 *
 * - a variable only that thread binds or names (`d0` in one, `d1` in the
 *   other): each thread starts with a copy of its process's variables and
 *   binds its own;
 * - a host device only that thread names (`"gvt0"`, `"gvt1"`), where the
 *   devices are identical — same group, same driver (device symmetry, the
 *   issue's scalarsets): the renaming moves the device, the objects probing
 *   allocated for it (named after it, `(gvt0)/n`) and its place in the
 *   lists the model declares order-insensitive.
 *
 * Swapping two such threads, with what each allocated and the names only it
 * uses, maps every execution to an execution. (Threads never fork: fork() is
 * a setup op, so every process exists before any thread starts.)
 */
import type { RoleClass, RoleSpec } from '../rt/symmetry.js';
import { deviceScope } from '../kernel/drivers/vfio/probe.js';
import type { HostDevice, ScenarioProgram, Syscall } from './program.js';

/** Every name an op mentions as a variable (bound or read) and every string operand it passes. */
function namesIn(op: Syscall): { vars: string[]; strings: string[] } {
  const vars: string[] = [];
  const strings: string[] = [];
  JSON.stringify(op, (key, value: unknown) => {
    if (key === 'site' || key === 'text' || key === 'call') return undefined;
    if ((key === 'assign' || key === 'var') && typeof value === 'string') vars.push(value);
    if (key === 'value' && typeof value === 'string') strings.push(value);
    return value;
  });
  return { vars, strings };
}

/** What a thread is up to its own names: its ops with each own name replaced by its kind and order of first use. */
interface Shape {
  readonly key: string;
  /** The own names, in the order the key numbers them: devices, then variables. */
  readonly devices: readonly string[];
  readonly vars: readonly string[];
}

function shapeOf(process: string, ops: readonly Syscall[], ownVars: ReadonlySet<string>, ownDevices: ReadonlyMap<string, string>): Shape {
  const devices: string[] = [];
  const vars: string[] = [];
  const slot = (list: string[], name: string): number => {
    let i = list.indexOf(name);
    if (i < 0) i = list.push(name) - 1;
    return i;
  };
  const calls = ops.map((op) =>
    JSON.stringify(op, (key, value: unknown) => {
      if (key === 'site' || key === 'text' || key === 'call') return undefined;
      if ((key === 'assign' || key === 'var') && typeof value === 'string' && ownVars.has(value)) return `$var${slot(vars, value)}`;
      if (key === 'value' && typeof value === 'string' && ownDevices.has(value)) return `$dev${slot(devices, value)}`;
      return value;
    }),
  );
  // Devices in the same places must be alike (same group, same driver).
  const alike = devices.map((d) => ownDevices.get(d) as string);
  return { key: `${process}\n${calls.join('\n')}\n${alike.join('\n')}`, devices, vars };
}

/** The host's devices by name, each with what makes two of them identical (its group and its properties but the name). */
function hostDevices(prog: ScenarioProgram): Map<string, string> {
  const out = new Map<string, string>();
  for (const g of prog.host.vfio?.groups ?? []) {
    for (const d of g.devices) {
      const { name, ...props }: HostDevice = d;
      out.set(name, JSON.stringify({ group: g.id, ...props }));
    }
  }
  return out;
}

/**
 * Classes of two or more interchangeable threads, each in scenario order,
 * classes in the order of their first thread; a thread that is renamed with
 * names only it uses carries them as aliases (kinds: devices, the devices'
 * objects, variables).
 */
export function interchangeableRoles(prog: ScenarioProgram): RoleClass[] {
  const devices = hostDevices(prog);
  // Who uses each name: a name used by one thread alone is that thread's own.
  const users = new Map<string, Set<string>>();
  const use = (name: string, who: string): void => {
    let s = users.get(name);
    if (s === undefined) users.set(name, (s = new Set()));
    s.add(who);
  };
  for (const [who, ops] of [['(setup)', prog.setup] as const, ...prog.threads.map((t) => [t.name, t.ops] as const)]) {
    for (const op of ops) {
      const n = namesIn(op);
      for (const v of n.vars) use(`var ${v}`, who);
      for (const s of n.strings) use(`str ${s}`, who);
    }
  }
  const threadNames = new Set(prog.threads.map((t) => t.name));
  const own = (kind: string, name: string, who: string): boolean => {
    const u = users.get(`${kind} ${name}`);
    // A name that is also some thread's name would be renamed twice.
    return u !== undefined && u.size === 1 && u.has(who) && !threadNames.has(name);
  };
  const classes = new Map<string, { names: string[]; specs: RoleSpec[]; shape: Shape }>();
  for (const th of prog.threads) {
    const n = th.ops.map(namesIn);
    // A variable named like a string operand (a device) stays as it is: one name, one meaning.
    const ownVars = new Set(n.flatMap((x) => x.vars).filter((v) => own('var', v, th.name) && !users.has(`str ${v}`) && !devices.has(v)));
    const ownDevices = new Map<string, string>();
    for (const s of n.flatMap((x) => x.strings)) {
      const spec = devices.get(s);
      if (spec !== undefined && own('str', s, th.name)) ownDevices.set(s, spec);
    }
    const shape = shapeOf(th.process, th.ops, ownVars, ownDevices);
    const spec: RoleSpec = { thread: th.name, aliases: [...shape.devices, ...shape.devices.map(deviceScope), ...shape.vars] };
    const cls = classes.get(shape.key);
    if (cls === undefined) classes.set(shape.key, { names: [th.name], specs: [spec], shape });
    else {
      cls.names.push(th.name);
      cls.specs.push(spec);
    }
  }
  return [...classes.values()]
    .filter((c) => c.specs.length > 1)
    .map(({ specs, shape }) => {
      const d = shape.devices.length;
      const kinds = [...Array<string>(d).fill('devices'), ...Array<string>(d).fill(''), ...Array<string>(shape.vars.length).fill('variables')];
      // A class that renames nothing but its threads needs no aliases at all.
      return specs.every((s) => s.aliases.length === 0) ? { roles: specs.map((s) => s.thread) } : { roles: specs, kinds };
    });
}

/** Names of the threads of each class (interchangeableRoles without the aliases). */
export function interchangeableThreads(prog: ScenarioProgram): string[][] {
  return interchangeableRoles(prog).map((c) => c.roles.map((r) => (typeof r === 'string' ? r : r.thread)));
}
