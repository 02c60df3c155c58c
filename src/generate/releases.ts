/**
 * The version policy's inputs that are not the project: the Go releases a release table lists by a day,
 * and the Go version an existing Dockerfile's builder names (the policy never goes below it).
 */
import { parseDockerfile } from '../dockerfile/parse.js';
import { goMinorOf } from '../project/go-policy.js';
import type { GoReleaseTable } from '../releases/types.js';
import { knownGo, parseGoTag } from '../rules/audit/base-images.js';
import type { GenerateOptions } from './options.js';

export function goReleaseOptions(
  table: GoReleaseTable,
  now: Date,
): Pick<GenerateOptions, 'goReleases' | 'goTableDate'> {
  return { goReleases: knownGo(table, now), goTableDate: table.date };
}

/** The newest Go version a golang builder of this Dockerfile names ("1.22"), if any. */
export function dockerfileGoVersion(text: string): string | undefined {
  const versions = parseDockerfile(text)
    .model.stages.map((s) => s.image)
    .filter((i) => i !== undefined && (i.name === 'golang' || i.name.endsWith('/golang')))
    .map((i) => goMinorOf(parseGoTag((i!.tag ?? 'latest').toLowerCase())))
    .filter((v) => v !== undefined)
    .sort((a, b) => b[0] - a[0] || b[1] - a[1]);
  return versions[0] ? `${versions[0][0]}.${versions[0][1]}` : undefined;
}
