/** A Go toolchain (cmd/go binary, GOROOT), a module cache or a Go source tree in the final image. */
import { finding, type ImageRule } from './context.js';

export const toolchainInImage: ImageRule = {
  id: 'toolchain-in-image',
  check(ctx) {
    const out = [];
    const roots = new Set<string>();
    for (const { path, binary } of ctx.analysis.visibleBinaries()) {
      if (binary.report.buildInfo?.path !== 'cmd/go') continue;
      // GOROOT/bin/go: report GOROOT.
      const root = path.endsWith('/bin/go') ? path.slice(0, -'/bin/go'.length) : path;
      roots.add(root);
      out.push(
        finding(
          'toolchain-in-image',
          `a Go toolchain (${binary.report.goVersion}) is in the image at /${root}; compile in a builder stage and copy only the binary`,
          `/${root}`,
        ),
      );
    }
    const sources = new Set<string>();
    let modcache: string | null = null;
    for (const { path, node } of ctx.analysis.fs.walk()) {
      if ([...roots].some((r) => path.startsWith(`${r}/`))) continue;
      if (node.type === 'dir' && path.endsWith('pkg/mod/cache') && modcache === null)
        modcache = path.slice(0, -'/cache'.length);
      if (
        node.type === 'file' &&
        path.endsWith('go.mod') &&
        (path === 'go.mod' || path.endsWith('/go.mod'))
      ) {
        if (path.includes('/pkg/mod/') || path.startsWith('usr/local/go/') || path.startsWith('usr/lib/go'))
          continue;
        sources.add(path.slice(0, -'go.mod'.length).replace(/\/$/, ''));
      }
    }
    if (modcache) {
      out.push(
        finding('toolchain-in-image', `a Go module cache is in the image at /${modcache}`, `/${modcache}`),
      );
    }
    for (const dir of [...sources].sort()) {
      out.push(
        finding(
          'toolchain-in-image',
          `Go source (go.mod) is in the image at /${dir}; only the binary belongs in the runtime image`,
          `/${dir}`,
        ),
      );
    }
    return out;
  },
};
