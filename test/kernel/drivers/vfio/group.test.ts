import { describe, expect, it } from 'vitest';
import { ERRNO as E } from '../../../../src/kernel/include/uapi/asm-generic/errno.js';
const EBADFD = E.EBADFD;
import { ERRNO } from '../../../../src/kernel/include/uapi/asm-generic/errno.js';
import * as V from '../../../../src/kernel/include/uapi/linux/vfio.js';
import { BAD, close, fdptr, group, int, ioctl, leaks, open, problems, runSeq } from './_seq.js';

describe('/dev/vfio/<id> (v6.2 group.c)', () => {
  it('has a single opener: a second open gets EBUSY until the first file is released', () => {
    const r: number[] = [];
    const run = runSeq(function* (c) {
      const a = yield* open(c, '/dev/vfio/1');
      r.push(a, yield* open(c, '/dev/vfio/1'));
      r.push(yield* close(c, a));
      const b = yield* open(c, '/dev/vfio/1');
      r.push(b, yield* open(c, '/dev/vfio/2'), yield* open(c, '/dev/vfio/9'));
    });
    expect(run.exec.status).toBe('done');
    expect(r).toEqual([0, -ERRNO.EBUSY, 0, 0, 1, -ERRNO.ENOENT]);
    expect(problems(run)).toEqual([]);
    expect(leaks(run)).toEqual([]);
  });

  it('SET_CONTAINER: EFAULT, EBADF, EBADFD, success, then EINVAL once set', () => {
    const r: number[] = [];
    const run = runSeq(function* (c, m) {
      const g = yield* open(c, '/dev/vfio/1');
      const cf = yield* open(c, '/dev/vfio/vfio');
      const kvmfd = yield* open(c, '/dev/kvm');
      r.push(yield* ioctl(c, g, V.VFIO_GROUP_SET_CONTAINER, BAD));
      r.push(yield* ioctl(c, g, V.VFIO_GROUP_SET_CONTAINER, fdptr(-1)));
      r.push(yield* ioctl(c, g, V.VFIO_GROUP_SET_CONTAINER, fdptr(kvmfd)));
      r.push(yield* ioctl(c, g, V.VFIO_GROUP_SET_CONTAINER, fdptr(g)));
      r.push(yield* ioctl(c, g, V.VFIO_GROUP_SET_CONTAINER, fdptr(cf)));
      expect(group(m, 1).container).not.toBeNull();
      expect(group(m, 1).container_users).toBe(1);
      r.push(yield* ioctl(c, g, V.VFIO_GROUP_SET_CONTAINER, fdptr(cf)));
      // The group keeps the container alive after its fd is closed.
      r.push(yield* close(c, cf));
      expect(group(m, 1).container).not.toBeNull();
    });
    expect(r).toEqual([-ERRNO.EFAULT, -ERRNO.EBADF, -EBADFD, -EBADFD, 0, -ERRNO.EINVAL, 0]);
    expect(problems(run)).toEqual([]);
    // Closing the group (at exit) detached and freed the container.
    expect(leaks(run)).toEqual([]);
  });

  it('UNSET_CONTAINER: EINVAL without a container, EBUSY with an open device, else 0', () => {
    const r: number[] = [];
    const run = runSeq(function* (c, m) {
      const g = yield* open(c, '/dev/vfio/1');
      r.push(yield* ioctl(c, g, V.VFIO_GROUP_UNSET_CONTAINER));
      const cf = yield* open(c, '/dev/vfio/vfio');
      r.push(yield* ioctl(c, g, V.VFIO_GROUP_SET_CONTAINER, fdptr(cf)));
      r.push(yield* ioctl(c, cf, V.VFIO_SET_IOMMU, int(V.VFIO_TYPE1v2_IOMMU)));
      const d = yield* ioctl(c, g, V.VFIO_GROUP_GET_DEVICE_FD, { kind: 'mem', mem: { kind: 'string', value: '0000:00:01.0' } });
      r.push(yield* ioctl(c, g, V.VFIO_GROUP_UNSET_CONTAINER));
      r.push(yield* close(c, d));
      r.push(yield* ioctl(c, g, V.VFIO_GROUP_UNSET_CONTAINER));
      expect(group(m, 1).container).toBeNull();
      r.push(yield* ioctl(c, g, 0x1234));
    });
    expect(r).toEqual([-ERRNO.EINVAL, 0, 0, -ERRNO.EBUSY, 0, 0, -ERRNO.ENOTTY]);
    expect(problems(run)).toEqual([]);
    expect(leaks(run)).toEqual([]);
  });
});
