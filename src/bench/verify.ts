/**
 * Static verification of the binary an image runs, from its bytes (article: check that the final
 * image has no dynamic dependencies, without `ldd` inside the container): its ELF interpreter,
 * whether that loader exists in the image, its architecture and whether it is stripped; then
 * `goimg image`'s own verification of the whole image (read from the engine), as findings.
 */
import { ElfFile, PT_INTERP, SHT_SYMTAB } from '../binary/elf.js';
import { bufferSource } from '../binary/source.js';
import { inspectImage } from '../rules/image/report.js';
import type { DockerCli, Throwaways } from './docker.js';
import type { BenchVerification } from './report.js';

export async function verifyImageBinary(
  binary: Buffer,
  tag: string,
  docker: DockerCli,
  throwaways: Throwaways,
): Promise<BenchVerification> {
  const findings: BenchVerification['findings'] = [];
  let elf: ElfFile;
  try {
    elf = await ElfFile.open(bufferSource(binary));
  } catch (err) {
    findings.push({
      rule: 'parse-error',
      severity: 'error',
      message: err instanceof Error ? err.message : String(err),
    });
    return {
      static: null,
      interpreter: null,
      interpreterPresent: null,
      arch: null,
      stripped: null,
      findings,
    };
  }
  const interp = elf.programs.find((p) => p.type === PT_INTERP);
  const interpreter = interp
    ? binary.toString('latin1', interp.offset, interp.offset + interp.filesz).replace(/\0+$/, '')
    : null;
  let interpreterPresent: boolean | null = null;
  if (interpreter) {
    interpreterPresent = docker.pathExists(tag, interpreter, throwaways);
    if (!interpreterPresent) {
      findings.push({
        rule: 'missing-interpreter',
        severity: 'error',
        message: `the binary needs ${interpreter}, which is not in the image: it would fail with "no such file or directory"`,
      });
    }
  }
  try {
    const image = await inspectImage(`docker-daemon:${tag}`);
    for (const f of image.findings) {
      if (!findings.some((x) => x.rule === f.rule))
        findings.push({ rule: f.rule, severity: f.severity, message: f.message });
    }
  } catch (err) {
    findings.push({
      rule: 'image-unreadable',
      severity: 'info',
      message: `goimg image could not read ${tag}: ${err instanceof Error ? err.message : String(err)}`,
    });
  }
  return {
    static: interpreter === null,
    interpreter,
    interpreterPresent,
    arch: elf.header.arch,
    stripped: !elf.sections.some((s) => s.type === SHT_SYMTAB),
    findings,
  };
}
