/** No USER, USER root, USER 0, or a user name that /etc/passwd maps to uid 0. */
import { resolveInImage } from '../../image/resolve.js';
import { finding, type ImageRule } from './context.js';

export function uidOf(user: string, passwd: string | null): number | null {
  const name = user.split(':')[0]!;
  if (name === '' || name === 'root') return 0;
  if (/^\d+$/.test(name)) return Number(name);
  for (const line of (passwd ?? '').split('\n')) {
    const f = line.split(':');
    if (f[0] === name && f[2] !== undefined && /^\d+$/.test(f[2])) return Number(f[2]);
  }
  return null;
}

export const runsAsRoot: ImageRule = {
  id: 'runs-as-root',
  check(ctx) {
    const user = ctx.config.config?.User ?? '';
    const r = resolveInImage(ctx.analysis.fs, 'etc/passwd');
    const passwd = r.ok ? (ctx.analysis.textAt(r.path, r.node.layer)?.toString('utf8') ?? null) : null;
    if (uidOf(user, passwd) !== 0) return [];
    const how = user === '' ? 'no USER is set' : `USER ${user} is uid 0`;
    return [
      finding(
        'runs-as-root',
        `the container runs as root (${how}); add a non-root user, e.g. USER 65532:65532 (distroless "nonroot")`,
      ),
    ];
  },
};
