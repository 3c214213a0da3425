/**
 * One modelled machine, per execution: the kernel version's switches, the
 * registered device nodes, exported symbols and the subsystems' global state.
 * Subsystems register themselves at boot (kvm_init, vfio_init), as modules do.
 */
import type { Execution } from '../rt/execution.js';
import type { chrdev } from './fs/char_dev.js';
import type { mm_struct } from './include/linux/sched.js';
import type { KernelSwitches, KernelVersion } from './versions.js';

export interface Machine {
  readonly exec: Execution;
  readonly version: KernelVersion;
  readonly switches: KernelSwitches;
  /** Device nodes by path. */
  readonly chrdevs: Map<string, chrdev>;
  /** EXPORT_SYMBOL table. */
  readonly symbols: Map<string, unknown>;
  /** Subsystem globals, each owned by its subsystem (kvm_main, vfio_main). */
  readonly globals: Map<string, unknown>;
  nextPid: number;
  nextMm: number;
}

export function createMachine(exec: Execution, version: KernelVersion): Machine {
  return {
    exec,
    version,
    switches: version.switches,
    chrdevs: new Map(),
    symbols: new Map(),
    globals: new Map(),
    nextPid: 1,
    nextMm: 1,
  };
}

export function new_mm(machine: Machine): mm_struct {
  return { id: machine.nextMm++ };
}
