/**
 * Findings are data: what a checker saw, which threads were involved, their
 * model call stacks, and the schedule that reproduces it. Formatting lives in
 * report/.
 */
import type { Site } from '../rt/thread.js';

/** Every kind of finding, in the order reports list kinds. */
export const FINDING_KINDS = [
  'deadlock',
  'use-after-free',
  'double-free',
  'refcount-underflow',
  'refcount-increment-from-zero',
  'leak',
  'warning',
  'expectation',
  'step-limit',
  'model-crash',
  'lockdep-recursive',
  'lockdep-circular',
  'lockdep-sleep-in-atomic',
  'lockdep-held-on-return',
  'lockdep-bad-unlock',
  'put-under-lock',
  'data-race',
  'unsound-reduction',
] as const;

/** What a finding is about (the last, 'unsound-reduction': a reduction's soundness condition failed in an explored execution — the verdict is no proof). */
export type FindingKind = (typeof FINDING_KINDS)[number];

/** One lock a thread holds. */
export interface HeldInfo {
  readonly lock: string;
  readonly stack: readonly string[];
  /** Which lock of the class: the object it is a field of ("struct vfio_group #2"), when it is one. */
  readonly instance?: string;
}

/** A thread as a finding shows it. */
export interface ThreadInfo {
  readonly name: string;
  readonly group: string;
  /** The user-level operation it was executing (a syscall line), if any. */
  readonly op: string | null;
  readonly site: Site | null;
  /** Model call stack, outermost first. */
  readonly stack: readonly string[];
  readonly held: readonly HeldInfo[];
  /** For a blocked thread: the lock it waits for and who holds it. */
  readonly waitingFor: { readonly lock: string; readonly owner: string | null; readonly instance?: string } | null;
}

/** An object a finding is about (freed, leaked, miscounted). */
export interface ObjectInfo {
  readonly label: string;
  readonly kind: string;
  readonly allocStack: readonly string[];
  readonly allocThread: string;
  readonly freeStack: readonly string[] | null;
  readonly freeThread: string | null;
}

/** What a checker reports for one execution (before the explorer adds the schedule). */
export interface RawFinding {
  readonly kind: FindingKind;
  /** One line, in the kernel's words where it has some. */
  readonly title: string;
  /** Identity across executions: two executions with the same signature show the same bug. */
  readonly signature: string;
  /**
   * What the bug is, whoever shows it (check/rootcause.ts): findings of one
   * kind with the same key are one bug seen in several shapes, reported once.
   * Without it, the signature is the root cause.
   */
  readonly rootCause?: string;
  readonly threads: readonly ThreadInfo[];
  readonly objects: readonly ObjectInfo[];
  /** Further lines (the wait-for cycle, the expected and actual results, …). */
  readonly detail: readonly string[];
  /** For lock-order findings: the report's structure, rendered in lockdep's shape by report/. */
  readonly lockdep?: LockdepData;
  /** For potential deadlocks: whether an explored schedule realises one. */
  readonly confirmation?: Confirmation;
  /** For a use after free: the bad access (the first thread made it; the first object is the one freed). */
  readonly access?: { readonly kind: 'read' | 'write'; readonly field: string };
}

/** A lock as lockdep prints it: class (with subclass), kind, where it was taken. */
export interface LockRef {
  readonly cls: string;
  readonly kind: 'mutex' | 'spinlock';
  /** Model stack of the acquisition, outermost first. */
  readonly stack: readonly string[];
}

/** What a lockdep-shaped report shows. */
export interface LockdepData {
  /** The task (group/name). */
  readonly task: string;
  /** The lock being acquired (or released, for bad unlock balance). */
  readonly acquiring: LockRef | null;
  /** The held lock the report is about (already holding …). */
  readonly holding: LockRef | null;
  /** The existing dependency chain, from the held lock's end back to the new lock (#N … #0). */
  readonly chain: readonly LockRef[];
  /** Every lock the task held. */
  readonly held: readonly LockRef[];
  /** The task's stack at the report. */
  readonly stack: readonly string[];
  /** For put-under-lock: the put site and the teardown path that takes the lock. */
  readonly put?: { readonly counter: string; readonly site: readonly string[]; readonly teardown: readonly string[] };
}

export interface Confirmation {
  readonly status: 'confirmed' | 'unreachable' | 'unknown';
  /** A schedule in which the deadlock happens (confirmed). */
  readonly schedule?: readonly string[];
  readonly executions: number;
}

export interface Finding extends RawFinding {
  /** Thread names chosen at each choice point: replays the first execution that showed it. */
  readonly schedule: readonly string[];
  /** Executions that showed it. */
  readonly executions: number;
  /** 1-based index of the first execution that showed it. */
  readonly firstExecution: number;
  /**
   * In a split exploration: the subtree of that execution (subtrees are
   * numbered the same in every shard, so merging keeps the one an unsplit run
   * would have met first).
   */
  readonly subtree?: number;
  /** In a merged check: the shard (1-based) whose execution `firstExecution` counts in. */
  readonly shard?: number;
  /** The user-level operations of that execution, in the order they ran (added for reports). */
  readonly interleaving?: readonly TraceLine[];
  /** When the schedule was minimised: the fewest preemptions found for a schedule showing it. */
  readonly preemptions?: number;
  /** Whether every schedule with fewer preemptions was searched (so `preemptions` is the minimum). */
  readonly preemptionsMinimal?: boolean;
  /** Findings of the same root cause folded into this one (check/rootcause.ts): how many, and their titles where they differ. */
  readonly variants?: { readonly count: number; readonly titles: readonly string[] };
}

/** One line of a trace: an operation starting or ending, or a visible model event. */
export interface TraceLine {
  readonly step: number;
  readonly thread: string;
  readonly kind: 'op-begin' | 'op-end' | 'acquire' | 'release' | 'counter' | 'free' | 'atomic' | 'warn' | 'exit';
  readonly text: string;
  /** Innermost model function at the time, if any. */
  readonly fn: string | null;
}
