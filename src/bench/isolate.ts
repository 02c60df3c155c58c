/**
 * Text rewrites that let a benchmark build a user's Dockerfile without touching the user's build
 * state: every cache mount gets an id of its own (so a "cold" build starts from an empty cache
 * mount, which `--no-cache` alone does not give, and the user's own cache mounts are never read,
 * written or pruned), and the `# syntax` directive can be dropped for engines that cannot fetch
 * the Dockerfile frontend.
 */

/** Gives each `--mount=type=cache,...` a unique id: `goimg-bench-<suffix>:<old id or target>`. */
export function isolateCacheMounts(dockerfile: string, suffix: string): string {
  return dockerfile.replace(/--mount=([^\s\\]+)/g, (whole, spec: string) => {
    const fields = spec.split(',');
    const get = (key: string) => fields.find((f) => f.startsWith(`${key}=`))?.slice(key.length + 1);
    if (get('type') !== 'cache') return whole;
    const target = get('target') ?? get('dst') ?? get('destination') ?? '';
    const base = get('id') ?? target;
    const rest = fields.filter((f) => !f.startsWith('id='));
    return `--mount=${[...rest, `id=goimg-bench-${suffix}:${base}`].join(',')}`;
  });
}

/** Drops a leading `# syntax=...` parser directive (only parser directives at the very top count). */
export function stripSyntaxDirective(dockerfile: string): string {
  const lines = dockerfile.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const directive = /^#\s*([a-zA-Z]+)\s*=/.exec(line);
    if (!directive) break;
    if (directive[1]!.toLowerCase() === 'syntax') {
      lines.splice(i, 1);
      return lines.join('\n');
    }
  }
  return dockerfile;
}

/** The shell commands of RUN instructions that use a cache mount (to recognise our cache records). */
export function cacheMountRunCommands(dockerfile: string): string[] {
  const folded = dockerfile.replace(/\\\r?\n/g, '');
  const out: string[] = [];
  for (const line of folded.split('\n')) {
    const m = /^\s*RUN\s+(.*)$/i.exec(line);
    if (!m || !/--mount=[^\s]*type=cache/.test(m[1]!)) continue;
    out.push(
      m[1]!
        .replace(/--[a-z-]+=\S+\s*/g, '')
        .replace(/\s+/g, ' ')
        .trim(),
    );
  }
  return out;
}
