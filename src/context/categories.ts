/**
 * What a Go build context should not carry, by category: the entries of a generated
 * .dockerignore and the yardstick for finding gaps in an existing one. One table, so the
 * generator and the audit can never disagree.
 */

export type JunkCategory =
  | 'vcs'
  | 'build-output'
  | 'editor'
  | 'secrets'
  | 'node-modules'
  | 'test-data'
  | 'docker'
  | 'ci';

export interface JunkPattern {
  /** A .dockerignore pattern (Docker syntax). */
  pattern: string;
  category: JunkCategory;
  /** Why it should stay out of the image build, for comments and messages. */
  reason: string;
}

/** Categories whose leaks are worth a finding (Docker and CI files are tiny: generated files only). */
export const GAP_CATEGORIES: readonly JunkCategory[] = [
  'vcs',
  'build-output',
  'editor',
  'secrets',
  'node-modules',
  'test-data',
];

export const JUNK_PATTERNS: readonly JunkPattern[] = [
  { pattern: '.git', category: 'vcs', reason: 'version control history: large, and changes on every commit' },
  { pattern: '.hg', category: 'vcs', reason: 'version control history' },
  { pattern: '.svn', category: 'vcs', reason: 'version control history' },
  { pattern: '**/.gitignore', category: 'vcs', reason: 'version control metadata' },
  { pattern: 'bin', category: 'build-output', reason: 'binaries built on the host' },
  { pattern: 'dist', category: 'build-output', reason: 'build outputs' },
  { pattern: 'build', category: 'build-output', reason: 'build outputs' },
  { pattern: 'out', category: 'build-output', reason: 'build outputs' },
  { pattern: 'tmp', category: 'build-output', reason: 'temporary files' },
  { pattern: '**/*.exe', category: 'build-output', reason: 'binaries built on the host' },
  { pattern: '**/*.test', category: 'build-output', reason: 'compiled test binaries' },
  { pattern: '**/*.out', category: 'build-output', reason: 'coverage profiles and outputs' },
  { pattern: '**/*.prof', category: 'build-output', reason: 'profiles' },
  { pattern: '**/*.log', category: 'build-output', reason: 'log files' },
  { pattern: '.idea', category: 'editor', reason: 'editor settings' },
  { pattern: '.vscode', category: 'editor', reason: 'editor settings' },
  { pattern: '**/*.swp', category: 'editor', reason: 'editor swap files' },
  { pattern: '**/*~', category: 'editor', reason: 'editor backups' },
  { pattern: '**/.DS_Store', category: 'editor', reason: 'Finder metadata' },
  { pattern: '**/.env', category: 'secrets', reason: 'secrets must not reach the builder or the image' },
  { pattern: '**/.env.*', category: 'secrets', reason: 'secrets must not reach the builder or the image' },
  { pattern: '**/*.pem', category: 'secrets', reason: 'keys and certificates' },
  { pattern: '**/*.key', category: 'secrets', reason: 'private keys' },
  { pattern: '**/*.p12', category: 'secrets', reason: 'key stores' },
  { pattern: '**/id_rsa*', category: 'secrets', reason: 'SSH keys' },
  { pattern: '**/id_ed25519*', category: 'secrets', reason: 'SSH keys' },
  {
    pattern: '**/.netrc',
    category: 'secrets',
    reason: 'credentials for private modules belong in a secret mount',
  },
  {
    pattern: '**/node_modules',
    category: 'node-modules',
    reason: 'JavaScript dependencies, not used by the Go build',
  },
  { pattern: '**/testdata', category: 'test-data', reason: 'test fixtures: go build never reads them' },
  {
    pattern: 'Dockerfile*',
    category: 'docker',
    reason: 'BuildKit reads the Dockerfile separately; editing it need not bust COPY caches',
  },
  { pattern: '**/*.Dockerfile', category: 'docker', reason: 'other Dockerfiles' },
  { pattern: '.dockerignore', category: 'docker', reason: 'read by the builder separately' },
  { pattern: 'docker-compose*.yml', category: 'docker', reason: 'runtime configuration, not build input' },
  { pattern: 'compose*.yaml', category: 'docker', reason: 'runtime configuration, not build input' },
  { pattern: '.github', category: 'ci', reason: 'CI configuration' },
  { pattern: '.gitlab-ci.yml', category: 'ci', reason: 'CI configuration' },
];
