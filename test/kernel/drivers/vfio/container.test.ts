import { describe, expect, it } from 'vitest';
import { ERRNO } from '../../../../src/kernel/include/uapi/asm-generic/errno.js';
import * as V from '../../../../src/kernel/include/uapi/linux/vfio.js';
import { close, fdptr, int, ioctl, leaks, open, problems, runSeq } from './_seq.js';

describe('/dev/vfio/vfio (v6.2 container.c)', () => {
  it('answers GET_API_VERSION and CHECK_EXTENSION for type1', () => {
    const r: number[] = [];
    const run = runSeq(function* (c) {
      const cf = yield* open(c, '/dev/vfio/vfio');
      r.push(yield* ioctl(c, cf, V.VFIO_GET_API_VERSION));
      r.push(yield* ioctl(c, cf, V.VFIO_CHECK_EXTENSION, int(V.VFIO_TYPE1_IOMMU)));
      r.push(yield* ioctl(c, cf, V.VFIO_CHECK_EXTENSION, int(V.VFIO_TYPE1v2_IOMMU)));
      r.push(yield* ioctl(c, cf, V.VFIO_CHECK_EXTENSION, int(V.VFIO_SPAPR_TCE_IOMMU)));
      r.push(yield* ioctl(c, cf, 0x4321));
    });
    expect(r).toEqual([V.VFIO_API_VERSION, 1, 1, 0, -ERRNO.EINVAL]);
    expect(problems(run)).toEqual([]);
    expect(leaks(run)).toEqual([]);
  });

  it('SET_IOMMU: EINVAL without a group, ENODEV for an unknown type, EINVAL once set', () => {
    const r: number[] = [];
    const run = runSeq(function* (c) {
      const cf = yield* open(c, '/dev/vfio/vfio');
      r.push(yield* ioctl(c, cf, V.VFIO_SET_IOMMU, int(V.VFIO_TYPE1v2_IOMMU)));
      const g = yield* open(c, '/dev/vfio/1');
      r.push(yield* ioctl(c, g, V.VFIO_GROUP_SET_CONTAINER, fdptr(cf)));
      r.push(yield* ioctl(c, cf, V.VFIO_SET_IOMMU, int(V.VFIO_SPAPR_TCE_IOMMU)));
      r.push(yield* ioctl(c, cf, V.VFIO_SET_IOMMU, int(V.VFIO_TYPE1v2_IOMMU)));
      r.push(yield* ioctl(c, cf, V.VFIO_SET_IOMMU, int(V.VFIO_TYPE1_IOMMU)));
      // With a driver set, unknown requests go to type1.
      r.push(yield* ioctl(c, cf, 0x4321));
      // Detaching the last group takes the IOMMU driver (and its data) away.
      r.push(yield* close(c, g));
      r.push(yield* ioctl(c, cf, 0x4321));
    });
    expect(r).toEqual([-ERRNO.EINVAL, 0, -ERRNO.ENODEV, 0, -ERRNO.EINVAL, -ERRNO.ENOTTY, 0, -ERRNO.EINVAL]);
    expect(problems(run)).toEqual([]);
    expect(leaks(run)).toEqual([]);
  });
});
