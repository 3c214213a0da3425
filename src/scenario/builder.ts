/**
 * A TypeScript builder for scenarios, producing the same ScenarioProgram (and
 * the same diagnostics) as a YAML file, through the same schema and compile
 * code. Ops are the same strings as in YAML.
 *
 *     scenario('teardown-race')
 *       .kernel('all')
 *       .setup('kvm = open("/dev/kvm")', 'vm = ioctl(kvm, KVM_CREATE_VM)')
 *       .thread('a', ['close(vm)'])
 *       .build();
 */
import type { z } from 'zod';
import type { ScenarioResult } from './compile.js';
import type { Span } from './diagnostics.js';
import type { Locator, Path } from './locator.js';
import type { HostDoc, ThreadDocInput } from './schema.js';
import { compileDocument, type RawThreadEntry } from './validate.js';

/** Options of {@link scenario}. */
export interface ScenarioBuilderOptions {
  /** The virtual file name diagnostics and sites carry (default `<builder:NAME>`). */
  readonly file?: string;
}

/** The host as written in a scenario (`{vfio: 'none'}`, `{vfio: {groups: […]}}`). */
export type HostInput = z.input<typeof HostDoc>;

/**
 * Sites and diagnostics of a built scenario point at a virtual file: an op's
 * line is its index in its list + 1, its column the offset in the op + 1;
 * everything else is at 1:1.
 */
function virtualLocator(file: string, doc: Record<string, unknown>, threads: readonly RawThreadEntry[]): Locator {
  const opAt = (path: Path): { index: number; text: string } | null => {
    const index = path[path.length - 1];
    if (typeof index !== 'number') return null;
    let list: unknown;
    if (path[0] === 'setup' && path.length === 2) list = doc['setup'];
    else if (path[0] === 'threads' && (path.length === 3 || (path.length === 4 && path[2] === 'ops'))) {
      const t = typeof path[1] === 'number' ? threads[path[1]] : threads.findLast((e) => e.name === path[1]);
      list = Array.isArray(t?.value) ? t.value : (t?.value as { ops?: unknown } | undefined)?.ops;
    } else return null;
    const text: unknown = Array.isArray(list) ? list[index] : undefined;
    return { index, text: typeof text === 'string' ? text : '' };
  };
  return {
    file,
    span(path): Span {
      const op = opAt(path);
      const line = op ? op.index + 1 : 1;
      return { line, col: 1, endLine: line, endCol: 1 + Math.max(1, op?.text.length ?? 1) };
    },
    opPos(path, offset) {
      return { line: (opAt(path)?.index ?? 0) + 1, col: offset + 1 };
    },
  };
}

/** Builds a scenario step by step; {@link ScenarioBuilder.build} checks and compiles it. */
export class ScenarioBuilder {
  readonly #name: string;
  readonly #file: string;
  readonly #doc: Record<string, unknown> = {};
  readonly #setup: string[] = [];
  readonly #threads: RawThreadEntry[] = [];

  constructor(name: string, options: ScenarioBuilderOptions = {}) {
    this.#name = name;
    this.#file = options.file ?? `<builder:${name}>`;
  }

  /** What the scenario shows. */
  about(text: string): this {
    this.#doc['about'] = text;
    return this;
  }

  /** Kernel versions: "all" (the default), one version, or a list. */
  kernel(versions: string | readonly string[]): this {
    this.#doc['kernel'] = typeof versions === 'string' ? versions : [...versions];
    return this;
  }

  /** Name of the main process (default "qemu"). */
  process(name: string): this {
    this.#doc['process'] = name;
    return this;
  }

  /** The host: `{vfio: 'none'}` or `{vfio: {groups: [{id, devices: [{name, driver}]}]}}`. */
  host(host: HostInput): this {
    this.#doc['host'] = host;
    return this;
  }

  /** Appends ops to setup (run first, in order, in the main process). */
  setup(...ops: string[]): this {
    this.#setup.push(...ops);
    return this;
  }

  /** Adds a thread: its ops (main process), or `{process, ops}` for a forked process. */
  thread(name: string, spec: ThreadDocInput): this {
    this.#threads.push({ name, value: Array.isArray(spec) ? [...spec] : { ...spec } });
    return this;
  }

  /**
   * Checks and compiles the scenario, exactly as loadScenario does for YAML.
   * Diagnostics come in check order (schema, kernel, host, thread names,
   * setup, threads), since virtual lines restart in every op list.
   */
  build(): ScenarioResult {
    const doc: Record<string, unknown> = {
      name: this.#name,
      ...this.#doc,
      setup: [...this.#setup],
      threads: Object.fromEntries(this.#threads.map((t) => [t.name, t.value])),
    };
    return compileDocument(doc, this.#threads, virtualLocator(this.#file, doc, this.#threads));
  }
}

/** Starts a scenario named `name`. */
export function scenario(name: string, options?: ScenarioBuilderOptions): ScenarioBuilder {
  return new ScenarioBuilder(name, options);
}
