import { scopeAt } from '../../dockerfile/instruction.js';
import { substitute } from '../../dockerfile/parse.js';
import type { ProjectModel } from '../../project/model.js';
import { xPairs } from '../../project/version-injection.js';
import type { AuditContext, RuleHit } from './context.js';
import { buildSpan, shippedProgramBuilds } from './support.js';

export const id = 'x-flag-unknown-package';

export const examples = {
  bad: '// the package is github.com/acme/app/internal/version\nRUN go build -ldflags "-X version.Version=${VERSION}" -o /app .',
  good: 'RUN go build -ldflags "-X github.com/acme/app/internal/version.Version=${VERSION}" -o /app .',
};

/**
 * First elements of the standard library's import paths: a path without a dot in its first
 * element is a standard package (`-X runtime.x` is legal) or no package at all.
 */
const STD_ROOTS = new Set(
  (
    'archive bufio builtin bytes cmp compress container context crypto database debug embed encoding errors ' +
    'expvar flag fmt go hash html image index internal io iter log maps math mime net os path plugin reflect ' +
    'regexp runtime slices sort strconv strings structs sync syscall testing text time unicode unique unsafe ' +
    'weak vendor cmd'
  ).split(' '),
);

/** The symbols (`importpath.name`) that the -X flags of an -ldflags value set. */
function xSymbols(ldflags: string): string[] {
  const words = ldflags.split(/\s+/).map((w) => w.replace(/^["']+|["']+$/g, ''));
  return xPairs(words)
    .pairs.filter((pair) => pair.indexOf('=') > 0)
    .map((pair) => pair.slice(0, pair.indexOf('=')));
}

/** Module paths the build can import from: the project's own and those its go.mod names. */
function modulePaths(project: ProjectModel): string[] {
  const out = new Set<string>();
  if (project.goMod) {
    out.add(project.goMod.module);
    for (const r of project.goMod.requires) out.add(r.path);
    for (const r of project.goMod.replaces) out.add(r.oldPath);
  }
  for (const p of project.packages) if (p.module) out.add(p.module);
  return [...out];
}

const under = (pkg: string, module: string) => pkg === module || pkg.startsWith(`${module}/`);

/** Why `pkg` is no package the build has, or undefined when it is one or goimg cannot tell. */
function missingPackage(project: ProjectModel, pkg: string): string | undefined {
  if (pkg === 'main' || /[$`{]/.test(pkg)) return undefined;
  const own = project.packages.map((p) => p.module ?? project.goMod?.module).filter((m) => m !== undefined);
  if (own.some((m) => under(pkg, m))) {
    return project.packages.some((p) => p.importPath === pkg)
      ? undefined
      : `the module has no package ${pkg}`;
  }
  const first = pkg.split('/')[0]!;
  if (first.includes('.') || STD_ROOTS.has(first)) return undefined;
  if (modulePaths(project).some((m) => under(pkg, m))) return undefined;
  return `${pkg} is not an import path (-X needs the full path)`;
}

/** The project's package whose path ends like `pkg` (`server`, `app/util`), when only one does. */
function likelyMeant(project: ProjectModel, pkg: string): string | undefined {
  const tail = pkg.split('/').pop()!;
  const found = project.packages.filter((p) => p.inBuild !== false && p.importPath.endsWith(`/${tail}`));
  return found.length === 1 ? found[0]!.importPath : undefined;
}

export function check(ctx: AuditContext): RuleHit[] {
  const project = ctx.project;
  if (!project || project.packages.length === 0) return [];
  const hits: RuleHit[] = [];
  for (const build of shippedProgramBuilds(ctx)) {
    if (!build.ldflags) continue;
    const ldflags = substitute(build.ldflags, scopeAt(build.instruction));
    for (const symbol of xSymbols(ldflags)) {
      const dot = symbol.lastIndexOf('.');
      if (dot <= 0) continue;
      const pkg = symbol.slice(0, dot);
      const why = missingPackage(project, pkg);
      if (!why) continue;
      const meant = likelyMeant(project, pkg);
      const tail = pkg.split('/').pop();
      hits.push({
        message: `-X ${symbol} sets nothing: ${why}, so the linker ignores the flag and the variable keeps its default${meant ? `; the project has a package ${tail} at ${meant}` : ''}`,
        span: buildSpan(ctx, build),
      });
    }
  }
  return hits;
}
