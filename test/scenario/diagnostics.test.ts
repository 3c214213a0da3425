import { describe, expect, it } from 'vitest';
import { DIAGNOSTIC_CODES, formatDiagnostic, type Diagnostic } from '../../src/scenario/diagnostics.js';
import { loadScenario } from '../../src/scenario/load.js';

const d: Diagnostic = {
  file: 'x.yaml',
  line: 2,
  col: 20,
  endLine: 2,
  endCol: 36,
  code: 'KVS303',
  message: 'unknown ioctl request "KVM_CREATE_DEVCE" (did you mean KVM_CREATE_DEVICE?)',
  found: 'KVM_CREATE_DEVCE',
  expected: 'one of KVM_CREATE_DEVICE, …',
};

describe('formatDiagnostic', () => {
  it('prints position, code, found and expected', () => {
    expect(formatDiagnostic(d)).toBe(
      [
        'x.yaml:2:20: error KVS303: unknown ioctl request "KVM_CREATE_DEVCE" (did you mean KVM_CREATE_DEVICE?)',
        '  found: KVM_CREATE_DEVCE',
        '  expected: one of KVM_CREATE_DEVICE, …',
      ].join('\n'),
    );
  });

  it('adds a code frame with carets under the span when given the source', () => {
    const src = 'setup:\n  - kv = ioctl(vm, KVM_CREATE_DEVCE, {type: 4})\n';
    const lines = formatDiagnostic(d, src).split('\n');
    expect(lines.slice(3)).toEqual(['  2 |   - kv = ioctl(vm, KVM_CREATE_DEVCE, {type: 4})', '    |                    ^^^^^^^^^^^^^^^^']);
  });

  it('keeps tabs so the caret lines up, and skips the frame for lines out of range', () => {
    const tab = formatDiagnostic({ ...d, line: 1, col: 2, endLine: 1, endCol: 3 }, '\tx y\n');
    expect(tab.split('\n').slice(3)).toEqual(['  1 | \tx y', '    | \t^']);
    expect(formatDiagnostic({ ...d, line: 9 }, 'a\n').split('\n')).toHaveLength(3);
  });

  it('formats loader output end to end', () => {
    const src = 'name: t\nkernel: v6.4\n';
    const r = loadScenario(src, 'k.yaml');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const text = r.diagnostics.map((x) => formatDiagnostic(x, src)).join('\n');
    expect(text).toMatch(/^k\.yaml:2:9: error KVS401: unknown kernel version "v6.4"/);
    expect(text).toContain('    |         ^^^^');
    expect(text).not.toMatch(/\bat .*\.ts:\d+/);
  });

  it('documents every code with a one-line meaning', () => {
    for (const [code, meaning] of Object.entries(DIAGNOSTIC_CODES)) {
      expect(code).toMatch(/^KVS\d{3}$/);
      expect(meaning).not.toMatch(/\n/);
    }
  });
});
