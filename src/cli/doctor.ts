/**
 * `goimg doctor`: what this machine offers goimg (Go toolchains, Docker engine and a BuildKit
 * client, helper tools). Exit 0 when the essentials are there, 3 otherwise.
 */
import { ExitCode } from '../core/errors.js';
import { type DoctorReport, doctor } from '../env/doctor.js';
import type { TableStatus } from '../releases/types.js';
import type { Command } from './command.js';
import { flagOption } from './options.js';

export { type DoctorReport, doctor } from '../env/doctor.js';

/** The doctor's report plus the release tables in effect: date, source and URL of each. */
export type DoctorOutput = DoctorReport & { data: TableStatus[] };

export const doctorCommand: Command = {
  name: 'doctor',
  summary: 'check what this machine offers goimg: Go toolchains, Docker engine, BuildKit client, tools',
  usage: 'goimg doctor [--offline] [--format text|json]',
  help: [
    'Looks for Go toolchains (PATH, GOROOT, /usr/local/go, /usr/lib/go-*), a Docker engine at',
    'DOCKER_HOST and a docker client that runs BuildKit builds, and the optional tools the',
    'tests cross-check against, and the release data in effect (Go releases, base image',
    'lifecycles): its date and whether it came from the network, the cache or goimg itself.',
    '--offline (or GOIMG_OFFLINE=1) never fetches it.',
    'Exits 0 when Go, an engine and a BuildKit client are found, 3 if not.',
  ].join('\n'),
  formats: ['text', 'json'],
  options: { offline: { type: 'boolean' } },
  async run({ format, out, options }) {
    const { loadReleaseData } = await import('../releases/load.js');
    const [found, releases] = await Promise.all([
      doctor(),
      loadReleaseData({ offline: flagOption(options, 'offline') }),
    ]);
    const report: DoctorOutput = { ...found, data: releases.tables };
    if (format === 'json') {
      out.result(JSON.stringify(report, null, 2));
    } else {
      const { green, red, yellow, bold } = out.paint;
      const mark = (ok: boolean) => (ok ? green('ok  ') : red('miss'));
      const lines = [bold('goimg doctor'), `  ${mark(true)} node ${report.node}`];
      const { millis, extraCaCerts } = report.startup;
      lines.push(
        extraCaCerts === 'parsed-at-startup'
          ? `  ${yellow('slow')} start-up ${millis} ms (Node parsed the NODE_EXTRA_CA_CERTS bundle while it started)`
          : `  ${mark(true)} start-up ${millis} ms`,
      );
      if (report.go.length === 0) lines.push(`  ${mark(false)} Go toolchain (none found)`);
      for (const g of report.go) lines.push(`  ${mark(true)} ${g.version}  ${g.go}`);
      const d = report.docker;
      lines.push(
        d.reachable
          ? `  ${mark(true)} Docker engine ${d.engineVersion} at ${d.host}`
          : `  ${mark(false)} Docker engine at ${d.host}: ${d.error}`,
      );
      lines.push(
        d.buildkitClient
          ? `  ${mark(true)} BuildKit client ${d.buildkitClient.path} (${d.buildkitClient.mode})`
          : `  ${mark(false)} BuildKit client (no docker with buildx, nor a 20.10-22.x client)`,
      );
      for (const [name, path] of Object.entries(report.tools)) {
        lines.push(path ? `  ${mark(true)} ${name}  ${path}` : `  ${yellow('opt ')} ${name} (not found)`);
      }
      for (const t of report.data) {
        const from = `${t.source}, ${t.url}${t.error ? `; fetch failed: ${t.error}` : ''}`;
        lines.push(
          t.stale
            ? `  ${yellow('old ')} release data ${t.name} of ${t.date} (${from}): newer releases likely`
            : `  ${mark(true)} release data ${t.name} of ${t.date} (${from})`,
        );
      }
      out.result(lines.join('\n'));
    }
    return report.ok ? ExitCode.Clean : ExitCode.Environment;
  },
};
