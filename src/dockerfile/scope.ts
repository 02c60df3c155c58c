/**
 * The variables in effect at each point of a stage, without copying them per instruction:
 * every assignment is recorded once with a sequence number, and a view at sequence `s` looks
 * a name up by binary search in that name's history. Views are read-only Maps.
 */
import { lastAtMost } from '../core/sorted.js';

type Value = string | undefined;

/**
 * A name's assignments in order. Most names are set once: that is one small object, and the
 * two lists appear on the second assignment.
 */
type History = { seq: number; value: Value } | { seqs: number[]; values: Value[] };

export class ScopeBuilder {
  private seq = 0;
  private readonly history = new Map<string, History>();
  private cached: ScopeView | undefined;

  constructor(private readonly base: ReadonlyMap<string, Value> | undefined) {}

  set(name: string, value: Value): void {
    this.seq++;
    const h = this.history.get(name);
    if (!h) this.history.set(name, { seq: this.seq, value });
    else if ('seq' in h) this.history.set(name, { seqs: [h.seq, this.seq], values: [h.value, value] });
    else {
      h.seqs.push(this.seq);
      h.values.push(value);
    }
  }

  /** The scope as it is now (shared by every caller until the next assignment). */
  view(): ReadonlyMap<string, Value> {
    if (this.cached?.seq !== this.seq) this.cached = new ScopeView(this.history, this.base, this.seq);
    return this.cached;
  }
}

class ScopeView implements ReadonlyMap<string, Value> {
  private materialized: Map<string, Value> | undefined;
  constructor(
    private readonly history: ReadonlyMap<string, History>,
    private readonly base: ReadonlyMap<string, Value> | undefined,
    readonly seq: number,
  ) {}

  private lookup(name: string): { found: boolean; value: Value } {
    const h = this.history.get(name);
    if (h && 'seq' in h) {
      if (h.seq <= this.seq) return { found: true, value: h.value };
    } else if (h && h.seqs[0]! <= this.seq) {
      return { found: true, value: h.values[lastAtMost(h.seqs, this.seq)] };
    }
    if (this.base?.has(name)) return { found: true, value: this.base.get(name) };
    return { found: false, value: undefined };
  }

  get(name: string): Value {
    return this.lookup(name).value;
  }
  has(name: string): boolean {
    return this.lookup(name).found;
  }
  private all(): Map<string, Value> {
    if (!this.materialized) {
      const m = new Map<string, Value>(this.base ?? []);
      for (const name of this.history.keys()) {
        const r = this.lookup(name);
        if (r.found) m.set(name, r.value);
      }
      this.materialized = m;
    }
    return this.materialized;
  }
  get size(): number {
    return this.all().size;
  }
  entries(): MapIterator<[string, Value]> {
    return this.all().entries();
  }
  keys(): MapIterator<string> {
    return this.all().keys();
  }
  values(): MapIterator<Value> {
    return this.all().values();
  }
  forEach(fn: (value: Value, key: string, map: ReadonlyMap<string, Value>) => void): void {
    for (const [k, v] of this.all()) fn(v, k, this);
  }
  [Symbol.iterator](): MapIterator<[string, Value]> {
    return this.all().entries();
  }
}
