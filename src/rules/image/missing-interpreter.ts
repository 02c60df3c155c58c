/** The entrypoint is dynamically linked and its loader (PT_INTERP) is not in the image. */
import { finding, type ImageRule } from './context.js';

export const missingInterpreter: ImageRule = {
  id: 'missing-interpreter',
  check(ctx) {
    const interp = ctx.entrypoint.binary?.report.linkage.interpreter;
    if (!interp || ctx.exists(interp)) return [];
    const exe = ctx.entrypoint.resolved ?? ctx.entrypoint.path;
    return [
      finding(
        'missing-interpreter',
        `${exe} is dynamically linked and needs the loader ${interp}, which is not in the image: the container will fail with "exec ${exe}: no such file or directory"`,
        interp,
      ),
    ];
  },
};
