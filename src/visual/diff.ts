/** What grew, what is new, what went away between two size lists (before → after). Pure. */
export interface Change {
  name: string;
  before: number;
  after: number;
}

export interface SizeDiff {
  grew: Change[];
  shrank: Change[];
  added: Change[];
  removed: Change[];
}

export function diffSizes(
  before: readonly { name: string; size: number }[],
  after: readonly { name: string; size: number }[],
): SizeDiff {
  const was = new Map(before.map((b) => [b.name, b.size]));
  const now = new Map(after.map((a) => [a.name, a.size]));
  const out: SizeDiff = { grew: [], shrank: [], added: [], removed: [] };
  for (const [name, size] of now) {
    const old = was.get(name);
    if (old === undefined) out.added.push({ name, before: 0, after: size });
    else if (size > old) out.grew.push({ name, before: old, after: size });
    else if (size < old) out.shrank.push({ name, before: old, after: size });
  }
  for (const [name, size] of was) if (!now.has(name)) out.removed.push({ name, before: size, after: 0 });
  const byChange = (a: Change, b: Change) =>
    Math.abs(b.after - b.before) - Math.abs(a.after - a.before) || (a.name < b.name ? -1 : 1);
  for (const list of Object.values(out)) list.sort(byChange);
  return out;
}

/** The colour key of one part: new, grew, shrank or same. */
export function changeOf(before: number | undefined, after: number): 'new' | 'grew' | 'shrank' | 'same' {
  if (before === undefined) return 'new';
  return after > before ? 'grew' : after < before ? 'shrank' : 'same';
}
