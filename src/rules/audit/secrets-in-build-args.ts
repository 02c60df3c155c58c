import type { Stage } from '../../dockerfile/model.js';
import { unquote } from '../../dockerfile/parse.js';
import type { AuditContext, RuleHit } from './context.js';
import { contextRel, copiesFromContext, copySources } from './context.js';

export const id = 'secrets-in-build-args';

export const examples = {
  bad: 'ARG GITHUB_TOKEN\nRUN git config --global url."https://${GITHUB_TOKEN}@github.com/".insteadOf "https://github.com/"',
  good: 'ENV GOPRIVATE=github.com/acme/*\nRUN --mount=type=secret,id=netrc,target=/root/.netrc go mod download',
};

const SECRET =
  /(^|_)(TOKEN|PASSWORD|PASSWD|PASS|SECRET|API_?KEY|ACCESS_?KEY|PRIVATE_?KEY|CREDENTIALS?|NETRC|AUTH)(_|$)/i;
const NOT_SECRET = /_(FILE|PATH|DIR|URL|URI|HOST|ID|NAME|USER|TYPE)$|(FILE|PATH)$/i;
/** Files named for credentials. Some also hold plain settings (.npmrc, .env): their text tells. */
export const CREDENTIAL_FILES = /(^|\/)(\.netrc|\.git-credentials|\.npmrc|id_rsa|id_ed25519|\.env)$/;

/**
 * Whether a credential file's text holds a credential: an npm auth setting, a netrc password, a
 * .env key named for a secret with a value; any text at all for the others (keys, git credentials).
 */
export function holdsCredential(path: string, text: string): boolean {
  const name = path.slice(path.lastIndexOf('/') + 1);
  if (name === '.npmrc') return /(^|[:\s])_(authToken|auth|password)\s*=\s*\S/m.test(text);
  if (name === '.netrc') return /\bpassword\s+\S/.test(text);
  if (name === '.env')
    return text.split(/\r?\n/).some((line) => {
      const m = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(line);
      return m !== null && SECRET.test(m[1]!) && !NOT_SECRET.test(m[1]!) && unquote(m[2]!.trim()) !== '';
    });
  return text.trim() !== '';
}

/** A value that can be a credential: not empty, not a path, a placeholder, a variable or an empty object. */
export function secretLooking(value: string): boolean {
  const v = value.trim();
  if (v.length < 8 || /\s/.test(v)) return false;
  if (/^[/.~]/.test(v) || /^\$/.test(v)) return false;
  if (/^[[{].*[\]}]$/.test(v)) return false;
  if (
    /^(true|false|none|null|changeme|change-me|example|placeholder|secret|password|x+|\*+|<[^>]*>)$/i.test(v)
  )
    return false;
  return true;
}

/**
 * True when a later RUN of the stage gets the build arg: one that names it (`$NAME`), or any
 * RUN when the ARG has no default (it is declared to be passed in, and BuildKit records the
 * build args in scope in each RUN's history).
 */
function consumedByRun(stage: Stage, name: string, after: number, hasDefault: boolean): boolean {
  const ref = new RegExp(`\\$\\{?${name}\\b`);
  return stage.instructions.some(
    (i) => i.keyword === 'RUN' && i.index > after && (!hasDefault || ref.test(i.argsText)),
  );
}

export function check(ctx: AuditContext): RuleHit[] {
  const hits: RuleHit[] = [];
  // Build args holding a credential: their value is in the history of every RUN that sees them.
  const secretArgs = new Set<string>();
  for (const ins of ctx.df.instructions) {
    if (ins.keyword === 'ARG') {
      const stage = ctx.df.stages[ins.stage];
      for (const a of ins.args) {
        const eq = a.value.indexOf('=');
        const name = eq < 0 ? a.value : a.value.slice(0, eq);
        const value = eq < 0 ? '' : unquote(a.value.slice(eq + 1));
        if (!SECRET.test(name) || NOT_SECRET.test(name)) continue;
        secretArgs.add(name);
        if (secretLooking(value)) {
          hits.push({
            message: `ARG ${name} has a credential as its default: it is stored in the Dockerfile and in the image history; pass it with RUN --mount=type=secret instead`,
            span: a.span,
          });
        } else if (stage && consumedByRun(stage, name, ins.index, eq >= 0)) {
          hits.push({
            message: `ARG ${name} carries a credential into a RUN: build args are recorded in the image history; use RUN --mount=type=secret (with GOPRIVATE for private modules)`,
            span: a.span,
          });
        }
      }
    }
    if (ins.keyword === 'ENV') {
      for (const a of ins.args) {
        const eq = a.value.indexOf('=');
        if (eq < 0) continue;
        const name = a.value.slice(0, eq);
        const value = unquote(a.value.slice(eq + 1));
        if (!SECRET.test(name) || NOT_SECRET.test(name)) continue;
        const fromArg = [...value.matchAll(/\$\{?([A-Za-z_][A-Za-z0-9_]*)/g)].some((m) =>
          secretArgs.has(m[1]!),
        );
        if (fromArg || secretLooking(value)) {
          hits.push({
            message: `ENV ${name} ${fromArg ? 'copies a credential build arg' : 'holds a credential'} into the image config, where anyone who pulls the image reads it; use RUN --mount=type=secret`,
            span: a.span,
          });
        }
      }
    }
    if (copiesFromContext(ins)) {
      // A file goimg read from the context that holds only settings is no secret.
      const secret = copySources(ins).sources.find((s) => {
        if (!CREDENTIAL_FILES.test(s)) return false;
        const text = ctx.context.credentialFiles?.get(contextRel(s));
        return text === undefined || holdsCredential(s, text);
      });
      if (secret) {
        // A file the program loads at run time (godotenv) is configuration to give the container
        // when it starts, not a build secret.
        const name = secret.slice(secret.lastIndexOf('/') + 1);
        const atRunTime = (ctx.project?.runtimeFiles ?? []).some((e) => e.detail.endsWith(name));
        const { dest } = copySources(ins);
        const path = dest.endsWith('/') ? `${dest}${name}` : dest;
        hits.push({
          message: atRunTime
            ? `${secret} is copied into a layer, where its credentials stay for anyone who pulls the image; the program reads the file at run time: mount it at ${path} when the container starts (a bind mount or a secret) instead`
            : `${secret} is copied into a layer, where it stays forever; use RUN --mount=type=secret`,
          span: ins.span,
        });
      }
    }
  }
  return hits;
}
