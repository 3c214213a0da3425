/** Turning runtime state into the plain data findings carry. */
import type { ObjMeta } from '../rt/object.js';
import type { Lock } from '../rt/lock.js';
import type { Thread } from '../rt/thread.js';
import type { ObjectInfo, ThreadInfo } from '../trace/finding.js';

/** Which lock of its class `l` is: the object it is a field of, by label, when it is one. */
function instanceOf(l: Lock): { instance?: string } {
  return l.container === null ? {} : { instance: l.container.label };
}

export function threadInfo(t: Thread, stack: readonly string[] = t.frames.slice()): ThreadInfo {
  const op = t.pending;
  const waitingFor =
    op !== null && op.kind === 'lock' && op.lock.owner !== null && t.state !== 'done' && op.lock.owner !== undefined
      ? { lock: op.lock.cls, owner: op.lock.owner.name, ...instanceOf(op.lock) }
      : op !== null && op.kind === 'lock' && t.state !== 'done'
        ? { lock: op.lock.cls, owner: null, ...instanceOf(op.lock) }
        : null;
  return {
    name: t.name,
    group: t.group,
    op: t.op?.text ?? null,
    site: t.op?.site ?? null,
    stack,
    held: t.held.map((h) => ({ lock: h.lock.cls, stack: h.stack, ...instanceOf(h.lock) })),
    waitingFor,
  };
}

export function objectInfo(m: ObjMeta): ObjectInfo {
  return {
    label: m.label,
    kind: m.kind,
    allocStack: m.allocStack,
    allocThread: m.allocThread,
    freeStack: m.freeStack,
    freeThread: m.freeThread,
  };
}

/** The innermost `n` frames, for signatures that ignore where the path began. */
export function top(stack: readonly string[], n = 4): string {
  return stack.slice(-n).join('<');
}
