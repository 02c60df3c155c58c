/**
 * The stage that builds embedded assets a front-end build produces (npm run build), so that
 * `//go:embed` finds them in the Go build stage. Pure: lines of Dockerfile text.
 */
import { posix } from 'node:path';
import type { NpmProducer } from './generated-assets.js';

/** The newest Node.js LTS line: builders follow the newest supported release, as Go's do. */
export const NODE_LTS_MAJOR = 24;

export function nodeImage(producer: NpmProducer): { image: string; reason: string } {
  const major = Math.max(NODE_LTS_MAJOR, producer.nodeMajor ?? 0);
  const reason =
    major === NODE_LTS_MAJOR
      ? `Node.js ${major}, the newest LTS line${producer.nodeMajor ? `; package.json's engines asks for ${producer.nodeMajor} or later` : ''}`
      : `Node.js ${major}, as package.json's engines asks`;
  return { image: `node:${major}-bookworm-slim`, reason };
}

/** Stage name for the i-th asset build ("assets", "assets-2", ...). */
export const assetStageName = (i: number): string => (i === 0 ? 'assets' : `assets-${i + 1}`);

export function assetStageLines(producer: NpmProducer, pattern: string, index: number): string[] {
  const { image, reason } = nodeImage(producer);
  const dir = producer.dir === '.' ? '/web' : `/web/${producer.dir}`;
  const from = producer.dir === '.' ? '' : `${producer.dir}/`;
  const install = producer.lockfile ? 'npm ci' : 'npm install';
  return [
    `# Assets: ${pattern} is embedded (//go:embed) but built by ${producer.make ? `make ${producer.make}, whose recipe is ` : ''}npm run ${producer.script}, not kept in the tree.`,
    `# ${reason}; --platform=$BUILDPLATFORM: the output is the same on every target.`,
    `FROM --platform=$BUILDPLATFORM ${image} AS ${assetStageName(index)}`,
    `WORKDIR ${dir}`,
    '# The package manifests first: the install below stays cached until they change.',
    `COPY ${from}package.json ${producer.lockfile ? `${from}package-lock.json ` : ''}./`,
    `RUN --mount=type=cache,target=/root/.npm ${install}`,
    `COPY ${from === '' ? '.' : from} ./`,
    `RUN npm run ${producer.script}`,
    '',
  ];
}

/** The COPY into the Go build stage, after the source. */
export function assetCopyLine(producer: NpmProducer, index: number): string {
  // The stage mirrors the project under /web, so an output outside the package (../ui/build) is found too.
  const target = posix.join(producer.dir, producer.output);
  return `COPY --from=${assetStageName(index)} ${posix.join('/web', target)} ${target}`;
}
