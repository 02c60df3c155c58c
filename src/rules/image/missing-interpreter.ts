/**
 * The entrypoint's interpreter is not in the image: the loader (PT_INTERP) of a dynamic ELF, or
 * the `#!` program of a script. Either way the kernel answers "no such file or directory".
 */
import { finding, type ImageRule } from './context.js';

export const missingInterpreter: ImageRule = {
  id: 'missing-interpreter',
  check(ctx) {
    const shebang = ctx.entrypoint.shebang?.split(/\s+/)[0];
    if (shebang?.startsWith('/') && !ctx.exists(shebang)) {
      return [
        finding(
          'missing-interpreter',
          `${ctx.entrypoint.resolved} is a script for ${shebang}, which is not in the image: the container will fail with "exec ${ctx.entrypoint.resolved}: no such file or directory"`,
          shebang,
        ),
      ];
    }
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
