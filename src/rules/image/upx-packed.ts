/** UPX-packed executables anywhere in the image (the entrypoint first). */
import { finding, type ImageRule } from './context.js';

export const upxPacked: ImageRule = {
  id: 'upx-packed',
  check(ctx) {
    return ctx.analysis
      .visibleBinaries()
      .filter(({ binary }) => binary.report.upx.packed)
      .map(({ path, binary }) =>
        finding(
          'upx-packed',
          `/${path} is UPX-packed${binary.report.upx.version ? ` (UPX ${binary.report.upx.version})` : ''}: slower start, more memory, no build info for scanners, no pprof symbols; prefer -ldflags="-s -w"`,
          `/${path}`,
        ),
      );
  },
};
