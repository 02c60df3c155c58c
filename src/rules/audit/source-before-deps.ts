import type { Instruction } from '../../dockerfile/model.js';
import type { Edit } from '../../fix/edit.js';
import type { AuditContext, RuleHit } from './context.js';
import { copySources } from './context.js';
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

export function check(ctx: AuditContext): RuleHit[] {
  const hits: RuleHit[] = [];
  for (const stage of builderStages(ctx)) {
    const { modSteps } = ctx.facts.go(stage);
    const download = modSteps.find((m) => m.action === 'download');
    if (!download) continue;
    const source = stage.instructions.find(
      (i) => i.index < download.instruction.index && isSourceCopy(ctx, i),
    );
    if (!source) continue;
    const hit: RuleHit = {
      message: `the source is copied (line ${source.span.line}) before go mod download (line ${download.instruction.span.line}): every code change re-downloads all dependencies; copy go.mod and go.sum and download first`,
      span: source.span,
    };
    if (moduleAtContextRoot(ctx) && copiesToWorkdir(source)) {
      const edits = [insertLinesBefore(ctx, source, downloadLines(ctx))];
      const onlyDownload =
        download.instruction.commands.length === 1 && download.instruction.flags.length === 0;
      if (onlyDownload) edits.push(removeInstruction(ctx, download.instruction));
      hit.fix = { description: 'download modules before copying the source', edits };
    }
    hits.push(hit);
  }
  return hits;
}
