/**
 * Registry credentials the way the docker CLI finds them: `$DOCKER_CONFIG/config.json` (default
 * ~/.docker/config.json) with `credHelpers` (per registry), `credsStore` (default helper) and
 * `auths` (base64 `auth`, or `username`/`password`, or `identitytoken`). Helpers are run as
 * `docker-credential-NAME get` with the server on stdin. Credentials are never logged or put in
 * an error message.
 */
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { EnvironmentError, InputError } from '../core/errors.js';
import { isDockerHub } from '../oci/reference.js';

export type Credentials =
  | { kind: 'basic'; username: string; password: string }
  | { kind: 'identity-token'; token: string };

interface DockerConfig {
  auths?: Record<string, { auth?: string; username?: string; password?: string; identitytoken?: string }>;
  credsStore?: string;
  credHelpers?: Record<string, string>;
}

export function dockerConfigPath(env: NodeJS.ProcessEnv = process.env): string {
  const dir = env.DOCKER_CONFIG && env.DOCKER_CONFIG !== '' ? env.DOCKER_CONFIG : join(homedir(), '.docker');
  return join(dir, 'config.json');
}

/** `https://host:port/v1/` and `host:port` name the same registry. */
export function normalizeServer(key: string): string {
  return key.replace(/^[a-z]+:\/\//, '').replace(/\/.*$/, '');
}

/** The name docker uses for Docker Hub in config files and helpers. */
const DOCKER_HUB_KEY = 'https://index.docker.io/v1/';

function serverKeyFor(registry: string): string {
  return isDockerHub(registry) ? DOCKER_HUB_KEY : registry;
}

async function runHelper(helper: string, server: string, configPath: string): Promise<Credentials | null> {
  const program = `docker-credential-${helper}`;
  return new Promise((resolve, reject) => {
    const child = spawn(program, ['get'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
    });
    child.on('error', (err: NodeJS.ErrnoException) =>
      reject(
        err.code === 'ENOENT'
          ? new EnvironmentError(`credential helper ${program} named in ${configPath} is not installed`)
          : err,
      ),
    );
    child.on('close', (code) => {
      if (code !== 0) {
        // "credentials not found in native keychain" is the protocol's way to say none.
        if (/not found/i.test(stdout + stderr)) resolve(null);
        else reject(new EnvironmentError(`credential helper ${program} failed (exit ${code})`));
        return;
      }
      try {
        const r = JSON.parse(stdout) as { Username?: string; Secret?: string };
        if (!r.Secret) resolve(null);
        else if (r.Username === '<token>') resolve({ kind: 'identity-token', token: r.Secret });
        else resolve({ kind: 'basic', username: r.Username ?? '', password: r.Secret });
      } catch {
        reject(new EnvironmentError(`credential helper ${program} printed something that is not JSON`));
      }
    });
    child.stdin.end(`${server}\n`);
  });
}

/** Finds credentials for a registry host (`127.0.0.1:5055`, `ghcr.io`); null when there are none. */
export async function findCredentials(
  registry: string,
  configPath = dockerConfigPath(),
): Promise<Credentials | null> {
  let config: DockerConfig;
  try {
    config = JSON.parse(await readFile(configPath, 'utf8')) as DockerConfig;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new InputError(`${configPath} is not valid JSON`);
  }
  const key = serverKeyFor(registry);
  const wanted = normalizeServer(key);
  const helper = Object.entries(config.credHelpers ?? {}).find(([k]) => normalizeServer(k) === wanted)?.[1];
  if (helper) return runHelper(helper, key, configPath);
  const auth = Object.entries(config.auths ?? {}).find(([k]) => normalizeServer(k) === wanted)?.[1];
  if (auth?.identitytoken) return { kind: 'identity-token', token: auth.identitytoken };
  if (auth?.auth) {
    const text = Buffer.from(auth.auth, 'base64').toString('utf8');
    const colon = text.indexOf(':');
    if (colon < 0)
      throw new InputError(`${configPath}: the auth entry for ${registry} is not base64 of user:password`);
    return { kind: 'basic', username: text.slice(0, colon), password: text.slice(colon + 1) };
  }
  if (auth?.username && auth.password)
    return { kind: 'basic', username: auth.username, password: auth.password };
  if (config.credsStore) return runHelper(config.credsStore, key, configPath);
  return null;
}
