import type { Instruction } from '../../dockerfile/model.js';
import type { Edit } from '../../fix/edit.js';
import type { AuditContext, RuleHit } from './context.js';
import { copiesFromContext, copySources } from './context.js';
import {
  builderStages,
  insertLinesBefore,
  isSourceCopy,
  lineStart,
  moduleAtContextRoot,
  replace,
} from './support.js';

export const id = 'source-before-deps';

export const examples = {
  bad: 'FROM golang:1.23 AS build\nWORKDIR /src\nCOPY . .\nRUN go mod download\nRUN go build -o /app .',
  good: 'FROM golang:1.23 AS build\nWORKDIR /src\nCOPY go.mod go.sum ./\nRUN go mod download\nCOPY . .\nRUN go build -o /app .',
};

export const fixDescription =
  'Inserts `COPY go.mod go.sum ./` and `RUN go mod download` before the source copy and removes the later download step when it does nothing else.';

/** The lines that copy the module files and download dependencies. */
export function downloadLines(ctx: AuditContext): string[] {
  return [ctx.project?.hasGoSum ? 'COPY go.mod go.sum ./' : 'COPY go.mod ./', 'RUN go mod download'];
}

/** Whether a copy destination is the working directory (so ./ is right for go.mod). */
export function copiesToWorkdir(ins: Instruction): boolean {
  const { dest } = copySources(ins);
  return dest === '.' || dest === './';
}

function removeInstruction(ctx: AuditContext, ins: Instruction): Edit {
  const text = ctx.df.text;
  let end = ins.span.end;
  while (end < text.length && text[end] !== '\n') end++;
  return replace(ctx, lineStart(ctx, ins.span.start), Math.min(text.length, end + 1), '');
}

const NODE_INSTALL = /^(?:npm (?:ci|install|i)|yarn(?: install)?|pnpm (?:install|i)|bun install)$/;

/** The package-manager command that installs what package.json lists (`npm ci`, `yarn`). */
function nodeInstall(ins: Instruction): string | undefined {
  // An install a condition (a build argument) decides may never run.
  if (ins.keyword !== 'RUN' || /\bthen\b/.test(ins.argsText)) return undefined;
  for (const cmd of ins.commands) {
    const words = cmd.words.map((w) => w.value);
    const args = words.filter((w, k) => k > 0 && !w.startsWith('-'));
    const head = words[0] === 'yarn' && args.length === 0 ? 'yarn' : `${words[0]} ${args[0] ?? ''}`;
    // More words name packages to add (`npm install left-pad`), not the manifest's list.
    if (NODE_INSTALL.test(head) && args.length <= 1) return head;
  }
  return undefined;
}

/** Files an install reads: the manifests, lockfiles and package-manager settings. */
const INSTALL_INPUTS =
  /(^|\/)(package\.json|package-lock\.json|npm-shrinkwrap\.json|yarn\.lock|pnpm-lock\.yaml|pnpm-workspace\.yaml|bun\.lockb?|\.npmrc|\.yarnrc(\.yml)?|\.pnpmfile\.cjs)$/;

/**
 * Whether a context source (`.`, `web/`) is a tree holding a package.json and source files
 * that are sent: an ignore file that lets only the manifests through makes it no source copy.
 */
function holdsPackageJson(ctx: AuditContext, source: string): boolean {
  const inventory = ctx.context.inventory;
  if (!inventory || /[*?[]/.test(source)) return false;
  const dir = source.replace(/^\.(?:\/|$)/, '').replace(/\/+$/, '');
  if (dir !== '' && !inventory.isDir(dir)) return false;
  const prefix = dir === '' ? '' : `${dir}/`;
  const sent = inventory.files.filter(
    (f) => f.startsWith(prefix) && !f.includes('node_modules/') && !inventory.isExcluded(f),
  );
  return sent.some((f) => /(^|\/)package\.json$/.test(f)) && sent.some((f) => !INSTALL_INPUTS.test(f));
}

/** A JavaScript project copied whole before its packages are installed (a web UI's stage). */
function nodeHits(ctx: AuditContext): RuleHit[] {
  const hits: RuleHit[] = [];
  for (const stage of ctx.facts.builtStages()) {
    const source = stage.instructions.find(
      (i) => copiesFromContext(i) && copySources(i).sources.some((s) => holdsPackageJson(ctx, s)),
    );
    // An install before the copy (the right order) leaves little for a later one to do.
    if (!source || stage.instructions.some((i) => i.index < source.index && nodeInstall(i))) continue;
    for (const ins of stage.instructions) {
      if (ins.index <= source.index) continue;
      const install = nodeInstall(ins);
      if (!install) continue;
      hits.push({
        message: `the web project is copied whole (line ${source.span.line}) before ${install} (line ${ins.span.line}): every code change installs all packages again; copy only the package manifests and lockfile, install, then copy the rest`,
        span: source.span,
      });
      break;
    }
  }
  return hits;
}

export function check(ctx: AuditContext): RuleHit[] {
  const hits: RuleHit[] = nodeHits(ctx);
  for (const stage of builderStages(ctx)) {
    const { modSteps } = ctx.facts.go(stage);
    // go mod vendor fills vendor/ from the module cache, downloading every module it lacks.
    const download =
      modSteps.find((m) => m.action === 'download') ?? modSteps.find((m) => m.action === 'vendor');
    if (!download) continue;
    const step = download.action === 'vendor' ? 'go mod vendor' : 'go mod download';
    const source = stage.instructions.find(
      (i) => i.index < download.instruction.index && isSourceCopy(ctx, i),
    );
    if (!source) continue;
    const hit: RuleHit = {
      message: `the source is copied (line ${source.span.line}) before ${step} (line ${download.instruction.span.line}): every code change re-downloads all dependencies; copy go.mod and go.sum and download first`,
      span: source.span,
    };
    if (moduleAtContextRoot(ctx) && copiesToWorkdir(source)) {
      const edits = [insertLinesBefore(ctx, source, downloadLines(ctx))];
      const onlyDownload =
        download.action === 'download' &&
        download.instruction.commands.length === 1 &&
        download.instruction.flags.length === 0;
      if (onlyDownload) edits.push(removeInstruction(ctx, download.instruction));
      hit.fix = { description: 'download modules before copying the source', edits };
    }
    hits.push(hit);
  }
  return hits;
}
