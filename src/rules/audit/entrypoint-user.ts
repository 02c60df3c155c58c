/**
 * Which user an entrypoint script starts the service as, when it drops privileges with a tool
 * (`exec su-exec app "$@"`, `gosu ${PUID}:${PGID} ...`): the user written there, or the value of
 * the variable it names (a default in the script, `${PUID:-0}`, or the image's ENV).
 */

/** An entrypoint that is a shell script (`entrypoint.sh`, `docker-entrypoint`, `/init.sh`). */
export const ENTRYPOINT_SCRIPT = /\.(sh|bash)$|(^|\/)[^/]*entrypoint[^/]*$/;

export interface ScriptDrop {
  /** The privilege-dropping tool (su-exec, gosu, ...). */
  tool: string;
  /** The user as written (`app`, `${PUID}:${PGID}`). */
  written: string;
  /** Whether that user is root (uid 0) by default. */
  root: boolean;
}

/** `tool USER` forms, the user being the first argument (after the options some tools take). */
const DROP =
  /(?:^|[\s;&|(])(?:exec\s+)?(su-exec|gosu|s6-setuidgid|setuidgid|chpst\s+-u|runuser\s+-u|setpriv\s+--reuid[=\s])\s*("[^"]*"|'[^']*'|[^\s;&|]+)/gm;

const VAR = /^\$\{?([A-Za-z_][A-Za-z0-9_]*)(?::?[-=]([^}]*))?\}?$/;

/** The value a variable has when the script reaches its drop: the script's default, else ENV. */
function variableValue(
  script: string,
  name: string,
  env: ReadonlyMap<string, string | undefined>,
): string | undefined {
  // `PUID=${PUID:-1000}`, `export PUID=${PUID:-0}`, `: "${PUID:=1000}"`.
  const withDefault = new RegExp(`\\$\\{${name}:?[-=]([^}$]*)\\}`).exec(script);
  if (withDefault) return withDefault[1]!.replace(/^["']|["']$/g, '');
  // `user=ipfs` (a literal assignment before the drop).
  const assigned = new RegExp(
    `^\\s*(?:export\\s+|local\\s+)?${name}=("?)([A-Za-z0-9_.-]+)\\1\\s*$`,
    'm',
  ).exec(script);
  if (assigned) return assigned[2];
  return env.get(name);
}

/** The user part of `user`, `user:group`, `uid:gid`, resolved through variables; undefined when unknown. */
function resolveUser(
  written: string,
  script: string,
  env: ReadonlyMap<string, string | undefined>,
): string | undefined {
  const unquoted = written.replace(/^["']|["']$/g, '');
  const user = unquoted.startsWith('${')
    ? unquoted.slice(0, unquoted.indexOf('}') + 1)
    : unquoted.split(':')[0]!;
  const v = VAR.exec(user);
  if (!v) return user.includes('$') ? undefined : user;
  const value = variableValue(script, v[1]!, env) ?? v[2];
  if (value === undefined || value.includes('$')) return undefined;
  return value.split(':')[0];
}

/**
 * How the script drops privileges: every drop found, with whether its user is root by default.
 * Empty when the script uses no such tool; undefined entries are left out (user unknown), and
 * `unknown` is true when any drop's user could not be told.
 */
export function scriptDrops(
  script: string,
  env: ReadonlyMap<string, string | undefined>,
): { drops: ScriptDrop[]; unknown: boolean } {
  const drops: ScriptDrop[] = [];
  let unknown = false;
  for (const line of script.split('\n')) {
    if (/^\s*#/.test(line)) continue;
    for (const m of line.matchAll(DROP)) {
      const user = resolveUser(m[2]!, script, env);
      if (user === undefined) {
        unknown = true;
        continue;
      }
      drops.push({ tool: m[1]!.split(/\s/)[0]!, written: m[2]!, root: user === '0' || user === 'root' });
    }
  }
  return { drops, unknown };
}
