/** CMD/ENTRYPOINT in shell form ("/bin/sh -c ...") on an image that has no such shell. */
import { finding, type ImageRule } from './context.js';

export const shellFormWithoutShell: ImageRule = {
  id: 'shell-form-without-shell',
  check(ctx) {
    if (!ctx.command.shellForm) return [];
    const shell = ctx.command.argv[0]!;
    if (
      shell.startsWith('/')
        ? ctx.exists(shell)
        : ['/bin', '/usr/bin'].some((d) => ctx.exists(`${d}/${shell}`))
    ) {
      return [];
    }
    return [
      finding(
        'shell-form-without-shell',
        `the command is in shell form (${JSON.stringify(ctx.command.argv.slice(0, 3))}) but the image has no ${shell}: the container cannot start; use the exec form, e.g. CMD ["/app"]`,
        shell,
      ),
    ];
  },
};
