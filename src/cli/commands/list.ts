/** kvmsim list — versions (with their switches), drivers, ioctls and shipped scenarios. */
import { KERNEL_VERSIONS, SWITCH_COMMITS } from '../../kernel/versions.js';
import { IOCTLS } from '../../kernel/include/uapi/table.js';
import { EXIT, displayPath } from '../io.js';
import { shippedScenarios } from './matrix.js';

export function listCommand(): number {
  const out: string[] = ['kernel versions:'];
  for (const v of KERNEL_VERSIONS) {
    out.push(`  ${v.name.padEnd(10)} ${v.about}`);
    for (const [k, val] of Object.entries(v.switches)) out.push(`  ${''.padEnd(10)}   ${k} = ${String(val)}`);
  }
  out.push('', 'behaviour switches:');
  for (const [k, c] of Object.entries(SWITCH_COMMITS)) out.push(`  ${k.padEnd(18)} ${c}`);
  out.push(
    '',
    'drivers:',
    '  vfio-pci   no KVM use',
    '  kvmgt      own kvm reference from open_device to close_device (GVT-g; drivers/gpu/drm/i915/gvt/kvmgt.c)',
    '  vfio-ap    guests_lock and kvm->lock around its kvm reference in open/close (drivers/s390/crypto/vfio_ap_ops.c)',
  );
  out.push('', 'ioctls:');
  for (const i of IOCTLS) out.push(`  ${i.name.padEnd(28)} 0x${i.number.toString(16).padStart(8, '0')}  arg: ${i.arg}`);
  out.push('', 'shipped scenarios:');
  for (const f of shippedScenarios()) out.push(`  ${displayPath(f)}`);
  process.stdout.write(`${out.join('\n')}\n`);
  return EXIT.CLEAN;
}
