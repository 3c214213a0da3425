import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeSchedule, decodeToken, encodeSchedule, encodeToken, MAX_SCHEDULE_CHOICES } from '../../src/trace/schedule.js';

const name = fc.constantFrom('setup', 'teardown', 'user', 't0', 'cpu_1');

describe('schedule encoding', () => {
  it('round-trips any schedule', () => {
    fc.assert(
      fc.property(fc.array(name, { maxLength: 60 }), (s) => {
        expect(decodeSchedule(encodeSchedule(s))).toEqual(s);
      }),
    );
  });

  it('run-length encodes by thread name', () => {
    expect(encodeSchedule(['a', 'a', 'a', 'b', 'a'])).toBe('a:3,b,a');
  });

  it('round-trips tokens, paths with @ and # included', () => {
    const t = { file: 'dir@x/s#1.yaml', kernel: 'v6.2-rc5', schedule: ['teardown', 'user', 'user'] };
    expect(decodeToken(encodeToken(t))).toEqual(t);
  });

  it('rejects malformed schedules with a readable message', () => {
    expect(() => decodeSchedule('a:0')).toThrow(/NAME or NAME:COUNT/);
    expect(() => decodeToken('nothing')).toThrow(/FILE@KERNEL#SCHEDULE/);
  });

  it('rejects counts that are not decimal numbers, and schedules longer than any execution (no crash)', () => {
    // 'closer:1e9' was a billion names: "Fatal JavaScript invalid size error" (issue 17, item 3).
    expect(() => decodeSchedule('closer:23,deleter:1,closer:1e9')).toThrow(/bad schedule element "closer:1e9"/);
    expect(() => decodeSchedule('a:0x10')).toThrow(/positive decimal/);
    expect(() => decodeSchedule(`a:${MAX_SCHEDULE_CHOICES},b`)).toThrow(/schedule too long at "b"/);
    expect(decodeSchedule(`a:${MAX_SCHEDULE_CHOICES}`)).toHaveLength(MAX_SCHEDULE_CHOICES);
  });
});
