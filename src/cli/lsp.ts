/**
 * `goimg lsp`: the language server on stdin/stdout. stdout carries the protocol alone, so the
 * console is routed to the client's log before anything else runs.
 */
import { format } from 'node:util';
import { UsageError } from '../core/errors.js';
import type { Command } from './command.js';

const HELP = `Speaks the Language Server Protocol on stdin and stdout, for editors: goimg's audit findings
on Dockerfiles (every name goimg audit reads) and .dockerignore files as diagnostics with exact
ranges, each safe fix as a quick fix and "fix all", the rule's explanation on hover. .goimg.yaml
and inline ignores apply. The Go project model is kept between keystrokes and read again when the
client reports a change to go.mod, go.sum, go.work, a .go file or a .dockerignore.

Options:
      --stdio   accepted for clients that pass it (stdio is the only transport)

Editor set-up (neovim, VS Code): docs/editors.md.`;

/** Sends what anything prints through the console to the client's log instead of stdout. */
function routeConsole(log: (level: 'error' | 'warn' | 'info' | 'log', text: string) => void): void {
  const to =
    (level: 'error' | 'warn' | 'info' | 'log') =>
    (...args: unknown[]) =>
      log(level, format(...args));
  console.log = to('log');
  console.info = to('info');
  console.debug = to('log');
  console.warn = to('warn');
  console.error = to('error');
}

export const lspCommand: Command = {
  name: 'lsp',
  summary: 'language server (stdio): findings as diagnostics, safe fixes as code actions, rules on hover',
  usage: 'goimg lsp [--stdio]',
  help: HELP,
  formats: ['text'],
  options: { stdio: { type: 'boolean' } },
  async run(ctx) {
    if (ctx.args.length > 0) {
      throw new UsageError(`lsp takes no arguments, got ${ctx.args.join(' ')}`, 'the editor sends the files');
    }
    const { stdioConnection } = await import('../lsp/stdio.js');
    const connection = stdioConnection();
    routeConsole((level, text) => connection.console[level](text));
    const { startServer } = await import('../lsp/server.js');
    const { version } = await import('../core/version.js');
    startServer(connection, version());
    // Never settles: the connection ends the process on `exit` or when stdin closes.
    return new Promise<number>(() => {});
  },
};
