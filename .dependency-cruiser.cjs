/**
 * goimg's layers, checked by dependency-cruiser (`npm run depcruise`, part of `npm run lint`):
 *
 *   models    core, oci, dockerfile, project, binary, context: pure descriptions of things;
 *             they import only each other.
 *   I/O       env (Go toolchains, Docker engine, cache directory), registry (OCI distribution),
 *             releases (Go and base-image release data, fetched and cached): import models
 *             and each other only.
 *   analyses  audit, rules, fix, image, build, cache, bench, generate, config, report, vuln, lsp, visual: may import
 *             models, I/O and each other, never the CLI.
 *   cli       wiring of commands, flags and output.
 *   src/index.ts, the library's entry, may import anything (it exports the CLI's main too).
 *
 * And no import cycle anywhere, between folders or files.
 */
const MODELS = '^src/(core|oci|dockerfile|project|binary|context)/';
const NOT_MODELS = '^src/(?!(core|oci|dockerfile|project|binary|context)/)';
const IO = '^src/(env|registry|releases)/';

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'No import cycles: every module can be understood from what it imports.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'models-import-models',
      severity: 'error',
      comment:
        'Models (core, oci, dockerfile, project, binary, context) never import I/O, analyses or the CLI.',
      from: { path: MODELS },
      to: { path: NOT_MODELS },
    },
    {
      name: 'io-imports-models',
      severity: 'error',
      comment: 'I/O layers (env, registry, releases) import models only, never the analyses that call them.',
      from: { path: IO },
      to: { path: '^src/', pathNot: [MODELS, IO] },
    },
    {
      name: 'analyses-never-import-cli',
      severity: 'error',
      comment: 'Only the CLI (and nothing below it) knows about commands, flags and terminals.',
      from: { path: '^src/', pathNot: ['^src/cli/', '^src/index\\.ts$'] },
      to: { path: '^src/cli/' },
    },
    {
      name: 'image-reads-build-writes',
      severity: 'error',
      comment: 'image/ (reading images) never imports build/ (writing them); both share oci/.',
      from: { path: '^src/image/' },
      to: { path: '^src/build/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    exclude: { path: '\\.d\\.ts$' },
  },
};
