/**
 * `goimg image REF`: layers, waste and runtime verification of any image, from its bytes.
 * Wiring only: src/image does the work, image-run.ts runs it.
 */
import { UsageError } from '../core/errors.js';
import { parseSourceRef } from '../image/ref.js';
import { type DaemonExport, exportForAnalysis } from '../image/sources/daemon-export.js';
import type { Command } from './command.js';

/** For an engine, the export asked for now: the engine works before its first byte meanwhile. */
function earlyExport(ref: string): Promise<DaemonExport> | undefined {
  const parsed = parseSourceRef(ref);
  if (parsed.kind !== 'docker-daemon') return undefined;
  const exported = exportForAnalysis(parsed.name, {});
  exported.catch(() => undefined); // seen where the analysis awaits it
  return exported;
}

export const imageCommand: Command = {
  name: 'image',
  summary:
    'read any image (archive, OCI layout, registry, daemon): layers, waste, and whether the Go service will start',
  usage:
    'goimg image REF [--format text|json|sarif|github|junit|gitlab|checkstyle] [--fail-on LEVEL] [--max-waste BYTES|PCT] [--min-efficiency F] [--platform OS/ARCH] [--insecure] [--offline] [--vuln [--vuln-db URL|DIR]] [--output FORMAT=FILE]... [--html OUT]',
  help: [
    'REF uses the transport syntax of skopeo:',
    '  docker-archive:FILE.tar      docker save output (legacy and Docker 25+ OCI layouts)',
    '  docker-archive:-             the same from standard input: docker save IMAGE | goimg image docker-archive:-',
    '  oci:DIR[:TAG]                an OCI image layout directory',
    '  oci-archive:FILE[:TAG]       an OCI image layout in a tar (oci-archive:- reads standard input)',
    '  docker://REGISTRY/NAME:TAG   a registry (also @sha256:DIGEST); credentials from $DOCKER_CONFIG/config.json (default ~/.docker)',
    '  docker-daemon:NAME:TAG       the Docker engine at DOCKER_HOST (one export, analysed as it streams)',
    '',
    'Options:',
    '  --fail-on LEVEL        exit 1 on findings at or above error|warning|info|never (default error)',
    '  --max-waste LIMIT      exit 1 when wasted bytes exceed LIMIT: bytes (20MB) or percent (10%)',
    '  --min-efficiency F     exit 1 when efficiency (0..1) is below F',
    '  --platform OS/ARCH     image to read from a multi-platform index (default linux/<this machine>)',
    '  --insecure             plain HTTP to a loopback registry',
    '  --offline              judge the base OS by cached or bundled lifecycle data, never fetch it',
    '                         (also GOIMG_OFFLINE=1)',
    '  --vuln                 check every Go binary of the final file system against the Go',
    '                         vulnerability database, as `goimg vuln` does (findings go-vulnerability;',
    '                         --fail-on applies); --vuln-db URL|DIR names the database',
    '  --output FORMAT=FILE   also write the report in FORMAT to FILE (repeatable)',
    '  --html OUT             also write a self-contained page: layers as a bar, the file system',
    '                         as a zoomable treemap coloured by layer, Go binaries down to packages',
    '',
    '.goimg.yaml (found from the current directory up) may set image.maxWaste, image.minEfficiency,',
    'image.platform, failOn and rules (per-rule level or off); flags win over the file.',
    '',
    'Nothing is extracted to disk; layers are streamed once. Exit 2 for bad input, 3 when the',
    'source is unreachable (registry down, no engine).',
  ].join('\n'),
  formats: ['text', 'json', 'sarif', 'github', 'junit', 'gitlab', 'checkstyle'],
  options: {
    'fail-on': { type: 'string' },
    'max-waste': { type: 'string' },
    'min-efficiency': { type: 'string' },
    platform: { type: 'string' },
    insecure: { type: 'boolean' },
    offline: { type: 'boolean' },
    vuln: { type: 'boolean' },
    'vuln-db': { type: 'string' },
    output: { type: 'string', multiple: true },
    html: { type: 'string' },
  },
  async run(ctx) {
    if (ctx.args.length !== 1)
      throw new UsageError('goimg image takes exactly one REF', "run 'goimg image --help'");
    // Asked for before the analysis and report modules load and the options are read.
    const exported = earlyExport(ctx.args[0]!);
    try {
      const { runImage } = await import('./image-run.js');
      return await runImage(ctx, imageCommand.formats, exported);
    } finally {
      // Not read when the run stopped early (a bad option, say): let the engine stop.
      exported?.then(
        ({ body }) => body.close(),
        () => undefined,
      );
    }
  },
};
