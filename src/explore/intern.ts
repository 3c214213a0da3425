/**
 * Interning: each distinct value, named by a key, gets a small integer id in
 * the order first met (summaries are sets of such ids: they stay compact and
 * compare cheaply).
 */
export class Interner<T> {
  private readonly ids = new Map<string, number>();
  readonly items: T[] = [];

  /** The id of the value `key` names; `make` builds it the first time. */
  id(key: string, make: () => T): number {
    let id = this.ids.get(key);
    if (id === undefined) {
      id = this.items.length;
      this.items.push(make());
      this.ids.set(key, id);
    }
    return id;
  }

  /** The value of an id. */
  at(id: number): T {
    return this.items[id] as T;
  }

  get size(): number {
    return this.items.length;
  }
}
