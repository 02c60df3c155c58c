import type { Fix } from '../../fix/edit.js';
import type { AuditContext, RuleHit } from './context.js';

export const id = 'missing-dockerignore';

export const examples = {
  bad: '(no .dockerignore next to the Dockerfile: .git, bin/, testdata/ and .env are all sent)',
  good: '.dockerignore:\n.git\n**/*_test.go\nbin/\n.env',
};

export const fixDescription =
  'Writes a .dockerignore generated from what the build copies and what the context holds.';

function mb(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${(bytes / 1024).toFixed(1)} kB`;
}

/** Edit distance between two short strings (insertions, deletions, substitutions). */
function distance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++)
      row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = row;
  }
  return prev[b.length]!;
}

/** A file at the context's root whose name is .dockerignore misspelled (`.dockeringore`, `dockerignore`). */
function misnamedIgnoreFile(ctx: AuditContext): string | undefined {
  return ctx.context.inventory?.files.find(
    (f) => !f.includes('/') && f !== '.dockerignore' && distance(f.toLowerCase(), '.dockerignore') <= 2,
  );
}

export function check(ctx: AuditContext): RuleHit[] {
  // A goreleaser dockers context holds only the prebuilt binary and the files it lists.
  if (ctx.context.dockerignore || ctx.context.assembledBy) return [];
  const misnamed = misnamedIgnoreFile(ctx);
  if (misnamed)
    return [
      {
        message: `the build context has no .dockerignore but has ${misnamed}: Docker reads only .dockerignore (or <Dockerfile>.dockerignore), so none of its patterns apply; rename it`,
      },
    ];
  const size = ctx.context.size;
  const suggestion = ctx.context.suggestion;
  const named = ctx.context.sentPaths;
  if (named) {
    // BuildKit sends only the paths the build names: a .dockerignore matters only inside them.
    if (!size || !suggestion || suggestion.savedBytes === 0) return [];
    const list = named.length > 4 ? `${named.slice(0, 4).join(', ')}, …` : named.join(', ');
    return [
      {
        message: `the build context has no .dockerignore; BuildKit sends only the paths the build names (${list}), ${size.bytes} bytes (${mb(size.bytes)}) in ${size.files} files, and a generated .dockerignore would save ${suggestion.savedBytes} bytes (${mb(suggestion.savedBytes)}) of them`,
        fix: writeSuggestion(ctx, suggestion.text),
      },
    ];
  }
  // Nothing here now can be left out without changing what the build reads (a build that may
  // stamp its version from git reads every tracked file): the file only guards what appears later.
  if (suggestion && size && suggestion.savedBytes === 0)
    return [
      {
        message: `the build context has no .dockerignore: everything in it is sent to the builder; nothing in it now can be left out without changing what the build reads (${size.bytes} bytes (${mb(size.bytes)}) in ${size.files} files), but a generated .dockerignore keeps out what appears later (build outputs, secrets, editor files)`,
        severity: 'info',
        fix: writeSuggestion(ctx, suggestion.text),
      },
    ];
  // A build that runs git needs .git: the generated file keeps it, and so does the message. A
  // context without a .git (an export, a subdirectory) does not send one either.
  const gitKept = suggestion !== undefined && !suggestion.text.split('\n').includes('.git');
  const noGit = ctx.context.inventory !== undefined && !ctx.context.inventory.isDir('.git');
  let message = `the build context has no .dockerignore: everything in it (${gitKept || noGit ? '' : '.git, '}build outputs, test data, secrets) is sent to the builder`;
  if (size) message += `; the context is ${size.bytes} bytes (${mb(size.bytes)}) in ${size.files} files`;
  if (suggestion && size)
    message += `, and a generated .dockerignore would save ${suggestion.savedBytes} bytes (${mb(suggestion.savedBytes)})`;
  const hit: RuleHit = { message };
  if (suggestion) hit.fix = writeSuggestion(ctx, suggestion.text);
  return [hit];
}

function writeSuggestion(ctx: AuditContext, text: string): Fix {
  return {
    description: 'write a generated .dockerignore',
    edits: [
      { kind: 'create', file: `${ctx.context.prefix ? `${ctx.context.prefix}/` : ''}.dockerignore`, text },
    ],
  };
}
