import { describe, expect, it } from 'vitest';
import { xmlEscape } from '../../src/report/junit.js';

describe('JUnit XML escaping', () => {
  it('keeps scenario text as text: markup, quotes, and characters XML cannot carry', () => {
    expect(xmlEscape(`<script>alert("x" & 'y')</script>`)).toBe('&lt;script&gt;alert(&quot;x&quot; &amp; &apos;y&apos;)&lt;/script&gt;');
    expect(xmlEscape('a\u0001b\tc\nd')).toBe('a\\x01b\tc\nd');
  });
});
