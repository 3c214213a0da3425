import { describe, expect, it } from 'vitest';
import { vfio_globals_of } from '../../../../src/kernel/drivers/vfio/vfio_main.js';
import { ERRNO } from '../../../../src/kernel/include/uapi/asm-generic/errno.js';
import * as V from '../../../../src/kernel/include/uapi/linux/vfio.js';
import { symbol_get } from '../../../../src/kernel/kernel/module.js';
import { BAD, close, fdptr, fileAt, group, int, ioctl, leaks, open, problems, runSeq, str } from './_seq.js';

const PCI = '0000:00:01.0';

describe('VFIO_GROUP_GET_DEVICE_FD and the device fd (v6.2)', () => {
  it('fails with EFAULT, ENODEV, and EINVAL until the group has a container with an IOMMU', () => {
    const r: number[] = [];
    const run = runSeq(function* (c) {
      const g = yield* open(c, '/dev/vfio/1');
      r.push(yield* ioctl(c, g, V.VFIO_GROUP_GET_DEVICE_FD, BAD));
      r.push(yield* ioctl(c, g, V.VFIO_GROUP_GET_DEVICE_FD, str('nope')));
      r.push(yield* ioctl(c, g, V.VFIO_GROUP_GET_DEVICE_FD, str(PCI)));
      const cf = yield* open(c, '/dev/vfio/vfio');
      r.push(yield* ioctl(c, g, V.VFIO_GROUP_SET_CONTAINER, fdptr(cf)));
      r.push(yield* ioctl(c, g, V.VFIO_GROUP_GET_DEVICE_FD, str(PCI)));
    });
    expect(r).toEqual([-ERRNO.EFAULT, -ERRNO.ENODEV, -ERRNO.EINVAL, 0, -ERRNO.EINVAL]);
    expect(problems(run)).toEqual([]);
    expect(leaks(run)).toEqual([]);
  });

  it('pins the group file: the group is released only after the device fd closes', () => {
    const r: (number | boolean)[] = [];
    const run = runSeq(function* (c, m) {
      const grp = group(m, 1);
      const g = yield* open(c, '/dev/vfio/1');
      const cf = yield* open(c, '/dev/vfio/vfio');
      yield* ioctl(c, g, V.VFIO_GROUP_SET_CONTAINER, fdptr(cf));
      yield* ioctl(c, cf, V.VFIO_SET_IOMMU, int(V.VFIO_TYPE1_IOMMU));
      const d = yield* ioctl(c, g, V.VFIO_GROUP_GET_DEVICE_FD, str(PCI));
      r.push(d > 0, fileAt(c, d).path === 'anon_inode:[vfio-device]');
      const dev = grp.device_list[0];
      r.push(dev?.open_count ?? -1, grp.container_users, fileAt(c, g).f_count.value);
      // A second fd for the same device only counts the open.
      const d2 = yield* ioctl(c, g, V.VFIO_GROUP_GET_DEVICE_FD, str(PCI));
      r.push(dev?.open_count ?? -1, grp.container_users);
      yield* close(c, d2);
      yield* close(c, g);
      yield* close(c, cf);
      // The group file is still referenced by the open device: still "opened".
      r.push(grp.opened_file !== null, grp.container !== null);
      r.push(yield* open(c, '/dev/vfio/1'));
      yield* close(c, d);
      r.push(grp.opened_file === null, grp.container === null, dev?.open_count ?? -1);
      r.push((yield* open(c, '/dev/vfio/1')) >= 0);
    });
    expect(r).toEqual([true, true, 1, 2, 2, 2, 2, true, true, -ERRNO.EBUSY, true, true, 0, true]);
    expect(problems(run)).toEqual([]);
    expect(leaks(run)).toEqual([]);
  });

  it('closes the device under group_lock then dev_set->lock', () => {
    const run = runSeq(function* (c) {
      const g = yield* open(c, '/dev/vfio/1');
      const cf = yield* open(c, '/dev/vfio/vfio');
      yield* ioctl(c, g, V.VFIO_GROUP_SET_CONTAINER, fdptr(cf));
      yield* ioctl(c, cf, V.VFIO_SET_IOMMU, int(V.VFIO_TYPE1_IOMMU));
      const d = yield* ioctl(c, g, V.VFIO_GROUP_GET_DEVICE_FD, str(PCI));
      yield* close(c, d);
    });
    const ds = run.events.find(
      (ev) => ev.kind === 'acquire' && ev.lock.cls === '&dev_set->lock' && ev.stack.includes('vfio_device_fops_release'),
    );
    expect(ds?.kind === 'acquire' ? ds.stack : []).toEqual(
      expect.arrayContaining(['__fput', 'vfio_device_fops_release', 'vfio_device_group_close', 'vfio_device_close']),
    );
    const order = run.events
      .filter((ev) => ev.kind === 'acquire' && ev.stack.includes('vfio_device_fops_release'))
      .map((ev) => (ev.kind === 'acquire' ? ev.lock.cls : ''));
    expect(order.slice(0, 2)).toEqual(['&group->group_lock', '&dev_set->lock']);
  });

  it('without VFIO nothing is registered or exported', () => {
    const r: number[] = [];
    const run = runSeq(
      function* (c, m) {
        r.push(yield* open(c, '/dev/vfio/vfio'), yield* open(c, '/dev/vfio/1'));
        expect(symbol_get(m, 'vfio_file_set_kvm')).toBeNull();
        expect(vfio_globals_of(m)).toBeNull();
      },
      { host: null },
    );
    expect(r).toEqual([-ERRNO.ENOENT, -ERRNO.ENOENT]);
    expect(run.exec.status).toBe('done');
  });
});
