/** The image's OS release (from /etc/os-release) is past its end of life. */
import { finding, type ImageRule } from './context.js';

export const baseImageEol: ImageRule = {
  id: 'base-image-eol',
  check(ctx) {
    const b = ctx.base;
    if (!b?.endOfLife || !b.distro || !b.release) return [];
    const newest = ctx.eol.distros[b.distro][0]?.version;
    return [
      finding(
        'base-image-eol',
        `the image is ${b.os} (${b.distro} ${b.pointRelease ?? b.release}), end of life since ${b.eol}: no more security updates; rebuild on ${b.distro} ${newest} (lifecycle data of ${b.dataDate})`,
        '/etc/os-release',
      ),
    ];
  },
};
