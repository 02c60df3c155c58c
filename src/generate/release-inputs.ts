/**
 * What a project already says about its release build, read once for `goimg init` and
 * `goimg build`: the goreleaser (or ko) build to follow, and the -X version injection from that
 * build, else from the Makefile, else from the existing Dockerfile.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseDockerfile } from '../dockerfile/parse.js';
import {
  chooseReleaseBuild,
  type ReleaseBuild,
  type ReleaseConfig,
  readReleaseConfig,
} from '../project/goreleaser.js';
import { fromReleaseLdflags, fromScriptText, type VersionInjection } from '../project/version-injection.js';

export interface ReleaseInputs {
  config?: ReleaseConfig;
  /** The chosen build of `config`. */
  build?: ReleaseBuild;
  injection?: VersionInjection;
}

const MAKEFILES = ['GNUmakefile', 'makefile', 'Makefile'];

/** The existing Dockerfile's -X flags, with its ARG defaults. */
function fromDockerfile(text: string): VersionInjection {
  const model = parseDockerfile(text).model;
  const defaults = new Map<string, string | undefined>(model.globalArgs);
  for (const stage of model.stages) for (const [k, v] of stage.args) if (v !== undefined) defaults.set(k, v);
  const runs = model.instructions
    .filter((i) => i.keyword === 'RUN')
    .map((i) => i.argsText)
    .join('\n');
  return fromScriptText(runs, 'Dockerfile', defaults);
}

export async function readReleaseInputs(
  root: string,
  choice: { build?: string; main?: string },
): Promise<ReleaseInputs> {
  const config = await readReleaseConfig(root);
  const build = config ? chooseReleaseBuild(config, choice.build, choice.main) : undefined;
  const candidates: (() => VersionInjection | undefined)[] = [
    () =>
      build && config
        ? fromReleaseLdflags(
            build.ldflags,
            `${config.file} build ${build.id}`,
            config.projectName ?? root.split('/').pop()!,
          )
        : undefined,
    () => {
      const make = MAKEFILES.find((f) => existsSync(join(root, f)));
      return make ? fromScriptText(readFileSync(join(root, make), 'utf8'), make) : undefined;
    },
    () => {
      const file = join(root, 'Dockerfile');
      return existsSync(file) ? fromDockerfile(readFileSync(file, 'utf8')) : undefined;
    },
  ];
  let injection: VersionInjection | undefined;
  for (const next of candidates) {
    const found = next();
    if (found && (found.flags.length > 0 || found.notes.length > 0 || found.otherLdflags.length > 0)) {
      injection = found;
      break;
    }
  }
  return {
    ...(config ? { config } : {}),
    ...(build ? { build } : {}),
    ...(injection ? { injection } : {}),
  };
}
