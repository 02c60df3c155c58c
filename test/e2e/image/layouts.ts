/**
 * The same image in every form goimg reads, made from one `docker save` of the test engine
 * (20.10, legacy layout): an OCI layout (gzip layers, the config bytes unchanged), that layout in
 * a tar (oci-archive), a Docker 25+ style archive (OCI layout plus manifest.json, as Docker 25
 * writes it; this engine cannot), and a registry copy pushed with skopeo --preserve-digests.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { dockerOk } from '../../helpers/docker.js';

const sha = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

export interface ImageForms {
  work: string;
  legacyArchive: string;
  ociDir: string;
  ociArchive: string;
  docker25Archive: string;
  manifestDigest: string;
  configDigest: string;
}

export function makeForms(tag: string, ociTag = 'v1'): ImageForms {
  const work = mkdtempSync(join(tmpdir(), 'goimg-forms-'));
  const legacyArchive = join(work, 'legacy.tar');
  dockerOk(['save', '-o', legacyArchive, tag]);
  const unpacked = join(work, 'legacy');
  mkdirSync(unpacked);
  execFileSync('tar', ['-xf', legacyArchive, '-C', unpacked]);
  const saved = JSON.parse(readFileSync(join(unpacked, 'manifest.json'), 'utf8'))[0] as {
    Config: string;
    Layers: string[];
  };
  const ociDir = join(work, 'oci');
  mkdirSync(join(ociDir, 'blobs', 'sha256'), { recursive: true });
  const put = (data: Buffer | string) => {
    const hex = sha(data);
    writeFileSync(join(ociDir, 'blobs', 'sha256', hex), data);
    return hex;
  };
  const configBytes = readFileSync(join(unpacked, saved.Config));
  const configHex = put(configBytes);
  const layers = saved.Layers.map((p) => {
    const gz = gzipSync(readFileSync(join(unpacked, p)));
    return {
      mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip',
      digest: `sha256:${put(gz)}`,
      size: gz.length,
    };
  });
  const manifest = JSON.stringify({
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    config: {
      mediaType: 'application/vnd.oci.image.config.v1+json',
      digest: `sha256:${configHex}`,
      size: configBytes.length,
    },
    layers,
  });
  const manifestHex = put(manifest);
  writeFileSync(join(ociDir, 'oci-layout'), '{"imageLayoutVersion":"1.0.0"}');
  const index = {
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.index.v1+json',
    manifests: [
      {
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        digest: `sha256:${manifestHex}`,
        size: Buffer.byteLength(manifest),
        annotations: { 'org.opencontainers.image.ref.name': ociTag, 'io.containerd.image.name': tag },
      },
    ],
  };
  writeFileSync(join(ociDir, 'index.json'), JSON.stringify(index));
  const ociArchive = join(work, 'oci.tar');
  execFileSync('tar', ['-C', ociDir, '-cf', ociArchive, '.']);
  // Docker 25+: the same layout plus the legacy manifest.json pointing into blobs/.
  writeFileSync(
    join(ociDir, 'manifest.json'),
    JSON.stringify([
      {
        Config: `blobs/sha256/${configHex}`,
        RepoTags: [tag],
        Layers: layers.map((l) => `blobs/sha256/${l.digest.slice(7)}`),
      },
    ]),
  );
  const docker25Archive = join(work, 'docker25.tar');
  execFileSync('tar', [
    '-C',
    ociDir,
    '-cf',
    docker25Archive,
    'blobs',
    'index.json',
    'manifest.json',
    'oci-layout',
  ]);
  return {
    work,
    legacyArchive,
    ociDir,
    ociArchive,
    docker25Archive,
    manifestDigest: `sha256:${manifestHex}`,
    configDigest: `sha256:${configHex}`,
  };
}

export function pushLayout(ociDir: string, ociTag: string, target: string): void {
  execFileSync(
    'skopeo',
    [
      'copy',
      '-q',
      '--preserve-digests',
      '--dest-tls-verify=false',
      `oci:${ociDir}:${ociTag}`,
      `docker://${target}`,
    ],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
}
