/**
 * Which scenario threads are interchangeable (for symmetry reduction,
 * rt/symmetry.ts): threads of one process whose ops are the same calls with
 * the same operands. Each starts with a copy of its process's variables and
 * binds its own, so swapping two of them — with what each allocated — maps
 * every execution to an execution. (Threads never fork: fork() is a setup
 * op, so every process exists before any thread starts.)
 */
import type { ScenarioProgram, Syscall } from './program.js';

/** An op as the kernel sees it: without where it was written or how it was spelt. */
function callOf(op: Syscall): string {
  return JSON.stringify(op, (key, value: unknown) => (key === 'site' || key === 'text' || key === 'call' ? undefined : value));
}

/** Classes of two or more interchangeable threads, each in scenario order; classes in the order of their first thread. */
export function interchangeableThreads(prog: ScenarioProgram): string[][] {
  const classes = new Map<string, string[]>();
  for (const th of prog.threads) {
    const key = `${th.process}\n${th.ops.map(callOf).join('\n')}`;
    const cls = classes.get(key);
    if (cls === undefined) classes.set(key, [th.name]);
    else cls.push(th.name);
  }
  return [...classes.values()].filter((c) => c.length > 1);
}
