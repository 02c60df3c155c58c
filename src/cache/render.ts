/** Text and JSON renderings of cache analyses. */
import type { Palette } from '../core/palette.js';
import type { StepOutcome } from './compare.js';
import type { CostEstimate } from './cost.js';
import type { StepReason } from './keys.js';
import type { ReplayResult } from './replay.js';
import type { ChangedResult } from './working-tree.js';

export function describeReasons(reasons: readonly StepReason[]): string {
  return reasons
    .map((r) => {
      switch (r.kind) {
        case 'files': {
          const names = r.files.map((f) => (f === '.git' ? '.git (changes with every commit)' : f));
          const shown = names.slice(0, 3).join(', ');
          const more = r.files.length > 3 ? ` and ${r.files.length - 3} more` : '';
          return `${shown}${more} (copied by source "${r.source}")`;
        }
        case 'definition':
          return 'the instruction or its base changed';
        case 'parent':
          return 'an earlier step rebuilt';
        case 'build-output':
          return `depends on the build output of stage ${r.stage}`;
      }
      return '';
    })
    .join('; ');
}

function bar(rate: number | null, width = 20): string {
  if (rate === null) return `${'·'.repeat(width)}`;
  const full = Math.round(rate * width);
  return '█'.repeat(full) + '░'.repeat(width - full);
}

function pct(rate: number | null): string {
  return rate === null ? '  n/a' : `${(rate * 100).toFixed(0).padStart(4)}%`;
}

function costLine(label: string, cost: CostEstimate): string {
  return `${label}: ${cost.totalSeconds.toFixed(1)} s of builds over ${cost.commits} commits (goimg bench timings of "${cost.variant}")`;
}

export function renderReplayText(
  result: ReplayResult,
  paint: Palette,
  compare?: ReplayResult,
  cost?: CostEstimate,
  compareCost?: CostEstimate,
): string {
  const lines: string[] = [
    paint.bold(`Cache replay of ${result.dockerfile} over ${result.commits.length} commits`),
    '',
  ];
  for (const c of result.commits) {
    const subject = c.subject.length > 40 ? `${c.subject.slice(0, 39)}…` : c.subject.padEnd(40);
    let what: string;
    if (c.note) what = paint.dim(c.note);
    else if (!c.firstRebuilt) what = paint.green('everything reused');
    else {
      const f = c.firstRebuilt;
      what = `${paint.yellow(`[${f.stage}] line ${f.line}`)} ${f.instruction}  ${paint.dim(`← ${describeReasons(f.reasons)}`)}`;
    }
    lines.push(`${c.sha.slice(0, 7)}  ${subject}  ${what}`);
  }
  lines.push('', paint.bold('Hit rate per step'));
  for (const s of result.steps) {
    const counts = paint.dim(`(${s.hits}/${s.hits + s.misses}${s.unknown ? `, ${s.unknown} unknown` : ''})`);
    lines.push(`${bar(s.hitRate)} ${pct(s.hitRate)} ${counts}  [${s.stage}] ${s.line}: ${s.instruction}`);
  }
  if (result.moduleDownload) {
    const m = result.moduleDownload;
    lines.push('', `Module download reused in ${m.reused}/${m.total} commits.`);
  }
  if (cost) lines.push(costLine('Estimated rebuild time', cost));
  if (compare) {
    lines.push('', paint.bold(`Compared with ${compare.dockerfile}`));
    const a = result.moduleDownload;
    const b = compare.moduleDownload;
    if (b) {
      lines.push(
        `module download reused in ${b.reused}/${b.total} commits instead of ${a ? `${a.reused}/${a.total}` : `0/${b.total} (no download step)`}`,
      );
    }
    const fullA = result.commits.filter((c) => c.firstRebuilt !== null).length;
    const fullB = compare.commits.filter((c) => c.firstRebuilt !== null).length;
    lines.push(`commits that rebuild anything: ${fullB} instead of ${fullA}`);
    if (compareCost) lines.push(costLine('estimated rebuild time', compareCost));
  }
  return lines.join('\n');
}

function outcomeLine(s: StepOutcome, paint: Palette): string {
  const status =
    s.status === 'hit'
      ? paint.green('cached ')
      : s.status === 'miss'
        ? paint.yellow('rebuild')
        : paint.dim('unknown');
  const why = s.reasons.length ? paint.dim(`  ← ${describeReasons(s.reasons)}`) : '';
  return `  ${status} [${s.stage}] ${s.line}: ${s.instruction}${why}`;
}

export function renderChangedText(result: ChangedResult, paint: Palette): string {
  const lines = [
    paint.bold(`${result.dockerfile}: ${result.changed.length} changed file(s) against ${result.baseline}`),
  ];
  if (result.firstRebuilt.length === 0) lines.push('  nothing rebuilds: every step is reused');
  for (const f of result.firstRebuilt) {
    lines.push(`  stage ${f.stage} first rebuilds at line ${f.line}: ${f.instruction}`);
    lines.push(`    because ${describeReasons(f.reasons)}`);
  }
  lines.push('', 'Steps:', ...result.steps.map((s) => outcomeLine(s, paint)));
  return lines.join('\n');
}

export function replayJson(result: ReplayResult, cost?: CostEstimate) {
  return {
    ...(cost
      ? { estimatedCost: { variant: cost.variant, totalSeconds: cost.totalSeconds, commits: cost.commits } }
      : {}),
    dockerfile: result.dockerfile,
    commits: result.commits.map((c, i) => ({
      sha: c.sha,
      subject: c.subject,
      firstRebuilt: c.firstRebuilt,
      changed: c.changed,
      ...(c.note ? { note: c.note } : {}),
      ...(cost ? { rebuild: cost.perCommit[i]!.kind, estimatedSeconds: cost.perCommit[i]!.seconds } : {}),
      steps: c.steps.map((s) => ({
        stage: s.stage,
        line: s.line,
        instruction: s.instruction,
        status: s.status,
      })),
    })),
    steps: result.steps,
    moduleDownload: result.moduleDownload,
  };
}
