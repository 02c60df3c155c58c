/**
 * The server's connection over stdin and stdout. A static import: the bundler then reads the
 * CommonJS package's named exports, which a dynamic import of it would hide behind `default`.
 */
import { type Connection, createConnection } from 'vscode-languageserver/node';

export function stdioConnection(): Connection {
  return createConnection(process.stdin, process.stdout);
}
