/** goimg's version, from its package.json. */
import { createRequire } from 'node:module';

export function version(): string {
  // By the package's own name (self-reference through "exports"), not a relative path: the answer
  // is the same from the tsc output in dist/src/ and from the bundle in dist/cli/.
  const pkg = createRequire(import.meta.url)('goimg/package.json') as { version: string };
  return pkg.version;
}
