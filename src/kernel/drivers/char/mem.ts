/** drivers/char/mem.c — /dev/null: a file that is no VFIO group and no KVM object. */
import { register_chrdev_path } from '../../fs/char_dev.js';
import type { file_operations } from '../../include/linux/fs.js';
import type { Machine } from '../../machine.js';

const null_fops: file_operations = { name: 'null_fops' };

export function chr_dev_init(machine: Machine): void {
  register_chrdev_path(machine.chrdevs, '/dev/null', null_fops);
}
