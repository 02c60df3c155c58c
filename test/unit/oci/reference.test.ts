/**
 * Image references on a table of real-world spellings, with the meaning go-containerregistry's
 * name.ParseReference (and the docker CLI) give them: Docker Hub normalisation, `library/`,
 * ports, localhost, `name:tag@digest`, case rules and digest validation.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { UsageError } from '../../../src/core/errors.js';
import { parseReference, referenceName } from '../../../src/oci/reference.js';

const D = `sha256:${'deadb33f'.repeat(8)}`;

/** text → the full name it stands for (registry/repository:tag or @digest). */
const GOOD: [string, string][] = [
  ['alpine', 'index.docker.io/library/alpine:latest'],
  ['alpine:3.20', 'index.docker.io/library/alpine:3.20'],
  ['library/alpine:3.20', 'index.docker.io/library/alpine:3.20'],
  ['docker.io/alpine', 'index.docker.io/library/alpine:latest'],
  ['docker.io/library/golang:1.23-bookworm', 'index.docker.io/library/golang:1.23-bookworm'],
  ['index.docker.io/ubuntu', 'index.docker.io/library/ubuntu:latest'],
  ['bitnami/redis:7.2', 'index.docker.io/bitnami/redis:7.2'],
  ['docker.io/bitnami/redis', 'index.docker.io/bitnami/redis:latest'],
  ['gcr.io/distroless/static-debian12:nonroot', 'gcr.io/distroless/static-debian12:nonroot'],
  ['gcr.io/google.com/project-id/hello-world', 'gcr.io/google.com/project-id/hello-world:latest'],
  ['us-docker.pkg.dev/proj/repo/img:v1.2.3', 'us-docker.pkg.dev/proj/repo/img:v1.2.3'],
  ['ghcr.io/owner/app:sha-1a2b3c', 'ghcr.io/owner/app:sha-1a2b3c'],
  ['mcr.microsoft.com/dotnet/runtime:8.0', 'mcr.microsoft.com/dotnet/runtime:8.0'],
  ['public.ecr.aws/docker/library/golang:1.23', 'public.ecr.aws/docker/library/golang:1.23'],
  [
    '123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/svc:2024-01',
    '123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/svc:2024-01',
  ],
  ['quay.io/prometheus/node-exporter:v1.8.0', 'quay.io/prometheus/node-exporter:v1.8.0'],
  // Ports and localhost: a registry, not a tag.
  ['localhost:5000/app', 'localhost:5000/app:latest'],
  ['localhost:5000/app:dev', 'localhost:5000/app:dev'],
  ['localhost/app:dev', 'localhost/app:dev'],
  ['127.0.0.1:5055/goimg/app:v1', '127.0.0.1:5055/goimg/app:v1'],
  ['registry.example.com:8443/team/app', 'registry.example.com:8443/team/app:latest'],
  ['[::1]:5000/app:v1', '[::1]:5000/app:v1'],
  // A first part without '.', ':' or localhost is a Docker Hub namespace.
  ['myregistry/app:v1', 'index.docker.io/myregistry/app:v1'],
  // Tags: mixed case, dots, dashes, underscores, up to 128.
  [
    'gcr.io/project-id/image:w1th-alpha_num3ric.PLUScaps',
    'gcr.io/project-id/image:w1th-alpha_num3ric.PLUScaps',
  ],
  [`app:${'t'.repeat(128)}`, `index.docker.io/library/app:${'t'.repeat(128)}`],
  // Registry host names are not case-checked (URI authorities).
  ['Registry.Example.com/app', 'Registry.Example.com/app:latest'],
  // Digests, alone or after a tag (the digest decides).
  [`alpine@${D}`, `index.docker.io/library/alpine@${D}`],
  [`golang:1.23@${D}`, `index.docker.io/library/golang@${D}`],
  [`example.text/foo/bar:v1.0.0-alpine@${D}`, `example.text/foo/bar@${D}`],
  [`example.text:8443/foo/bar:latest@${D}`, `example.text:8443/foo/bar@${D}`],
  [`localhost:5000/app@${D}`, `localhost:5000/app@${D}`],
];

/** text → what the error says. */
const BAD: [string, RegExp][] = [
  ['', /repository name must be given/],
  ['Alpine', /must be lower case/],
  ['ghcr.io/Owner/App:v1', /must be lower case/],
  ['library/ubuntu:', /no tag after/],
  ["gcr.io/project-id/bad_chars:c@n'tuse", /sha256 digest/],
  ['gcr.io/project-id/wrong-length:white space', /tag "white space"/],
  [`app:${'t'.repeat(129)}`, /1 to 128/],
  ['app:-has space', /tag/],
  ['white space/app', /repository/],
  ['gcr?com/app', /repository/],
  ['gcr.io/project-id/unknown-alg@unknown:abc123', /not a sha256 digest/],
  ['gcr.io/project-id/wrong-length@sha256:d34db33fd34db33f', /64 lower-case hex/],
  ['gcr.io/project-id/missing-digest@', /not a sha256 digest/],
  [`repo@sha256:${':'.repeat(64)}`, /64 lower-case hex/],
  [`repo@sha256:${'sh'.repeat(32)}`, /64 lower-case hex/],
  [`repo@${D.toUpperCase().replace('SHA256', 'sha256')}`, /64 lower-case hex/],
  [`repo@${D}@${D}`, /at most one "@"/],
  [`library/nginx:@${D}`, /no tag after/],
  [`${'a'.repeat(256)}`, /1 to 255/],
];

test('real-world references parse to the names the docker CLI and go-containerregistry give them', () => {
  for (const [text, name] of GOOD) {
    const ref = parseReference(text);
    assert.equal(referenceName(ref), name, text);
    assert.equal(ref.original, text);
    assert.equal(ref.identifier, ref.digest ?? ref.tag, text);
  }
});

test('registry, repository, tag and digest are split as written', () => {
  assert.deepEqual(parseReference(`ghcr.io/owner/app:v2@${D}`), {
    registry: 'ghcr.io',
    repository: 'owner/app',
    tag: 'v2',
    digest: D,
    identifier: D,
    original: `ghcr.io/owner/app:v2@${D}`,
  });
  assert.deepEqual(parseReference('127.0.0.1:5055/a/b'), {
    registry: '127.0.0.1:5055',
    repository: 'a/b',
    tag: 'latest',
    identifier: 'latest',
    original: '127.0.0.1:5055/a/b',
  });
  // A digest alone names no tag.
  assert.equal(parseReference(`alpine@${D}`).tag, undefined);
});

test('bad references are usage errors that say what is wrong', () => {
  for (const [text, why] of BAD) {
    assert.throws(
      () => parseReference(text),
      (err: unknown) =>
        err instanceof UsageError && why.test(err.message) && err.message.includes(`"${text}"`),
      text,
    );
  }
});

test('the default registry and tag can be chosen', () => {
  const opts = { defaultRegistry: 'registry.example.com', defaultTag: 'stable' };
  assert.equal(referenceName(parseReference('team/app', opts)), 'registry.example.com/team/app:stable');
  assert.equal(referenceName(parseReference('ubuntu', opts)), 'registry.example.com/ubuntu:stable');
  assert.equal(referenceName(parseReference('gcr.io/x/y:latest', opts)), 'gcr.io/x/y:latest');
  assert.equal(referenceName(parseReference('localhost/testimage:mytag', opts)), 'localhost/testimage:mytag');
});

test('parsing is linear: a long hostile reference is refused at once', () => {
  const text = `${'a:'.repeat(50_000)}@`;
  assert.throws(() => parseReference(text), UsageError);
});
