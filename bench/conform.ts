/**
 * npm run bench, second table: the same program on the model and on the live
 * kernel, side by side — create/close cycles of the kvm-vfio device and
 * KVM_HAS_DEVICE_ATTR calls, in syscalls per second. The model figure is what
 * `kvmsim conform` pays per op (one execution, checkers on); the live figure
 * is real ioctls through koffi, including the executor's bookkeeping.
 */
import { runModel } from '../src/native/model.js';
import { probeKvm } from '../src/native/probe.js';
import { loadScenario } from '../src/scenario/load.js';
import type { ScenarioProgram } from '../src/scenario/program.js';

const VFIO = '{type: KVM_DEV_TYPE_VFIO}';

function program(name: string, body: string[], withDevice: boolean): ScenarioProgram {
  const setup = ['kvm = open("/dev/kvm") = 3', 'vm = ioctl(kvm, KVM_CREATE_VM) = 4'];
  if (withDevice) setup.push(`kv = ioctl(vm, KVM_CREATE_DEVICE, ${VFIO}) = 0`);
  const text = `name: ${name}\nsetup:\n${[...setup, ...body].map((op) => `  - "${op.replace(/"/g, '\\"')}"`).join('\n')}\n`;
  const r = loadScenario(text, `bench/${name}`);
  if (!r.ok) throw new Error(`bench program ${name} does not compile: ${JSON.stringify(r.diagnostics)}`);
  return r.program;
}

/**
 * Few cycles: on the live kernel each close of a kvm-vfio fd waits for an RCU
 * grace period (kvm_device_release's synchronize_rcu, since the device list
 * became an rculist), milliseconds per close.
 */
function workloads(cycles: number, calls: number): { name: string; ops: number; prog: ScenarioProgram }[] {
  const cycleOps = Array.from({ length: cycles }, () => [`kv = ioctl(vm, KVM_CREATE_DEVICE, ${VFIO}) = 0`, 'close(kv) = 0']).flat();
  const has = Array.from({ length: calls }, () => 'ioctl(kv, KVM_HAS_DEVICE_ATTR, {group: 1, attr: 1}) = 0');
  return [
    { name: `create/close cycles ×${cycles}`, ops: 2 * cycles, prog: program('bench-create-close', cycleOps, false) },
    { name: `has_attr calls ×${calls}`, ops: calls, prog: program('bench-has-attr', has, true) },
  ];
}

const rate = (ops: number, ms: number): string => `${Math.round((ops / ms) * 1000).toLocaleString('en-US')}`;

/** Runs the comparison and returns the table's lines. */
export async function conformBench(cycles = 100, calls = 5000): Promise<string[]> {
  const { version } = (await import('../src/native/conform.js')).conformanceVersion();
  const probe = await probeKvm();
  const live = probe.usable && probe.libc !== null ? new (await import('../src/native/live.js')).LiveExecutor(probe.libc) : null;
  const rows: string[][] = [];
  try {
    for (const w of workloads(cycles, calls)) {
      runModel(w.prog, version); // warm-up
      // Repeat the model until it has run for a while: one run is too short to time well.
      let t0 = performance.now();
      let modelRuns = 0;
      while (performance.now() - t0 < 500) {
        const m = runModel(w.prog, version);
        if (m.findings.length > 0) throw new Error(`${w.name}: the model reports ${m.findings.join('; ')}`);
        modelRuns++;
      }
      const modelMs = (performance.now() - t0) / modelRuns;
      let liveCell = `- (${probe.reason})`;
      if (live !== null) {
        await live.run(w.prog);
        t0 = performance.now();
        const r = await live.run(w.prog);
        const liveMs = performance.now() - t0;
        if (r.leaks.length > 0) throw new Error(`${w.name}: live run leaked ${r.leaks.join(', ')}`);
        liveCell = rate(w.ops, liveMs);
      }
      rows.push([w.name, rate(w.ops, modelMs), liveCell]);
    }
  } finally {
    await live?.close();
  }
  const header = ['workload', `model ${version} ops/s`, `live ${probe.kernel ?? ''} ops/s`];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]): string => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  return [
    'model vs live kernel (the same program on both; one op = one syscall):',
    line(header),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.map(line),
  ];
}
