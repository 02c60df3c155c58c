/** Findings for the renderer tests: a real audit of the seed article plus image findings. */
import { auditDirectory } from '../../../src/audit/load.js';
import type { Finding } from '../../../src/core/finding.js';
import { REPO_ROOT } from '../../helpers/cli.js';

export async function seedAudit(): Promise<{
  findings: Finding[];
  sources: Map<string, string>;
  root: string;
}> {
  const result = await auditDirectory(`${REPO_ROOT}examples/seed-article`, { now: new Date('2025-06-01') });
  return { findings: result.findings, sources: result.sources, root: result.root };
}

export const IMAGE_FINDINGS: Finding[] = [
  {
    rule: 'missing-interpreter',
    severity: 'error',
    path: '/lib64/ld-linux-x86-64.so.2',
    message:
      '/app is dynamically linked and needs the loader /lib64/ld-linux-x86-64.so.2, which is not in the image',
    fixable: false,
  },
  { rule: 'runs-as-root', severity: 'warning', message: 'the image runs as root', fixable: false },
];
