/**
 * Where things are in a scenario's source: the YAML loader and the builder
 * each provide a Locator, so compile.ts can position diagnostics without
 * knowing where the scenario came from.
 */
import type { Span } from './diagnostics.js';

/**
 * A path into the scenario document: keys and list indexes. In paths built by
 * compile.ts, `['threads', k]` addresses the k-th thread entry by position.
 */
export type Path = readonly (string | number)[];

/** Maps document paths (and offsets inside op strings) to source positions. */
export interface Locator {
  /** The file name diagnostics and sites carry. */
  readonly file: string;
  /** Span of the value (or, with `'key'`, the key) at path, or of its nearest existing ancestor. */
  span(path: Path, part?: 'key' | 'value'): Span;
  /** 1-based line and column of character `offset` of the op string at path. */
  opPos(path: Path, offset: number): { readonly line: number; readonly col: number };
}

/** A path as a reader writes it: `host.vfio.groups[0].id`, `threads.user[1]`. */
export function pathText(path: Path): string {
  let s = '';
  for (const seg of path) s += typeof seg === 'number' ? `[${seg}]` : s === '' ? seg : `.${seg}`;
  return s === '' ? 'the document' : s;
}
