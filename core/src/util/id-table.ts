// Calls awaiting an answer, by numeric id: one entry in and one out per call, for the life of
// the process. Not a Map: V8 rehashes a Map (or Set) into a new table every few inserts when
// entries come and go, and leaves each obsolete table linked to its successor with its entries
// still in it (for iterators). Once a full GC has moved one of those tables to the old
// generation, the dead table keeps every later table, and whatever their entries reference,
// alive through each young-generation collection until the next full GC, which starts the chain
// again. An object in dictionary mode rehashes without links, so dead tables hold nothing.
export class IdTable<T> {
  private entries: Record<number, T> = Object.create(null) as Record<number, T>;
  private count = 0;

  get size(): number {
    return this.count;
  }

  set(id: number, value: T): void {
    if (!(id in this.entries)) this.count++;
    this.entries[id] = value;
  }

  /** The entry for `id`, removed; undefined when there is none. */
  take(id: number): T | undefined {
    const value = this.entries[id];
    if (value === undefined) return undefined;
    delete this.entries[id];
    this.count--;
    return value;
  }

  /** Every entry, removed: for failing all calls at once. */
  takeAll(): T[] {
    const values = Object.values(this.entries);
    this.entries = Object.create(null) as Record<number, T>;
    this.count = 0;
    return values;
  }
}
