/**
 * bin/goimg.js moves NODE_EXTRA_CA_CERTS aside to GOIMG_EXTRA_CA_CERTS before Node starts, because
 * Node 20 parses that bundle while it starts (50-60 ms with Debian's). This puts the variable back
 * for the programs goimg runs, and remembers the file, which Node did not load: TLS clients must
 * add its certificates themselves (registry/http.ts).
 */
let unloadedCaFile: string | undefined;

/** A copy of `env` as the user set it: NODE_EXTRA_CA_CERTS back in place, the launcher's name gone. */
export function launchEnvRestored(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const copy = { ...env };
  const moved = copy.GOIMG_EXTRA_CA_CERTS;
  if (moved === undefined) return copy;
  delete copy.GOIMG_EXTRA_CA_CERTS;
  if (moved !== '' && !copy.NODE_EXTRA_CA_CERTS) copy.NODE_EXTRA_CA_CERTS = moved;
  return copy;
}

/** launchEnvRestored, applied to `env` itself (process.env: what goimg's children inherit). */
export function restoreLaunchEnv(env: NodeJS.ProcessEnv = process.env): void {
  const restored = launchEnvRestored(env).NODE_EXTRA_CA_CERTS;
  delete env.GOIMG_EXTRA_CA_CERTS;
  if (restored === env.NODE_EXTRA_CA_CERTS) return;
  env.NODE_EXTRA_CA_CERTS = restored;
  unloadedCaFile = restored;
}

/** The NODE_EXTRA_CA_CERTS file that Node did not load at start-up, if any. */
export function unloadedExtraCaFile(): string | undefined {
  return unloadedCaFile;
}
