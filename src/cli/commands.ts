/**
 * The command registry. A command is listed here only once it works end to end.
 * Commands load lazily so `goimg audit` does not pay for the image reader's imports.
 */
import type { Command } from './command.js';

export interface CommandEntry {
  name: string;
  aliases?: string[];
  summary: string;
  load: () => Promise<Command>;
}

export const COMMANDS: readonly CommandEntry[] = [
  {
    name: 'doctor',
    summary: 'check what this machine offers goimg: Go toolchains, Docker engine, BuildKit client, tools',
    load: async () => (await import('./doctor.js')).doctorCommand,
  },
  {
    name: 'audit',
    aliases: ['lint'],
    summary: 'audit Dockerfiles, .dockerignore and go.mod together, Go-aware; --fix applies safe fixes',
    load: async () => (await import('./audit.js')).auditCommand,
  },
  {
    name: 'cache',
    summary: 'which change busts which build step, for a change or replayed over the git history',
    load: async () => (await import('./cache.js')).cacheCommand,
  },
  {
    name: 'build',
    summary: 'daemonless, reproducible image of a Go program: OCI layout, docker-archive, engine, registry',
    load: async () => (await import('./build.js')).buildCommand,
  },
  {
    name: 'binary',
    summary: 'inspect Go executables: linkage, build info, cgo, UPX, size by package',
    load: async () => (await import('./binary.js')).binaryCommand,
  },
  {
    name: 'vuln',
    summary: 'known vulnerabilities of Go executables, narrowed to the vulnerable functions they contain',
    load: async () => (await import('./vuln.js')).vulnCommand,
  },
  {
    name: 'init',
    summary: 'write the optimal Dockerfile and .dockerignore for this Go project',
    load: async () => (await import('./init.js')).initCommand,
  },
  {
    name: 'bench',
    summary: "build the project's Dockerfile and goimg's with BuildKit; compare size, build times, startup",
    load: async () => (await import('./bench.js')).benchCommand,
  },
  {
    name: 'image',
    summary:
      'read any image (archive, OCI layout, registry, daemon): layers, waste, and whether the Go service will start',
    load: async () => (await import('./image.js')).imageCommand,
  },
  {
    name: 'lsp',
    summary: 'language server (stdio): findings as diagnostics, safe fixes as code actions, rules on hover',
    load: async () => (await import('./lsp.js')).lspCommand,
  },
  {
    name: 'explain',
    summary: "a rule's documentation offline: why it matters, bad and good example, fix, severity",
    load: async () => (await import('./explain.js')).explainCommand,
  },
];

export function findCommand(name: string): CommandEntry | undefined {
  return COMMANDS.find((c) => c.name === name || c.aliases?.includes(name));
}
