// Generates realistic Go Dockerfiles (10-80 lines) that mix multi-stage builds, continuations,
// heredocs, ARG substitution, cache and bind mounts and long RUN chains. Deterministic (seeded).
export function rng(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = (r, xs) => xs[Math.floor(r() * xs.length)];

export function generateDockerfile(seed) {
  const r = rng(seed);
  const lines = [];
  if (r() < 0.5) lines.push('# syntax=docker/dockerfile:1');
  const goVersion = pick(r, ['1.21', '1.22', '1.23', '1.24', '1.25']);
  const useArg = r() < 0.5;
  if (useArg) lines.push(`ARG GO_VERSION=${goVersion}`);
  const cross = r() < 0.4;
  const image = useArg
    ? 'golang:${GO_VERSION}'
    : `golang:${goVersion}${pick(r, ['', '-alpine', '-bookworm'])}`;
  lines.push(`FROM ${cross ? '--platform=$BUILDPLATFORM ' : ''}${image} AS build`);
  lines.push('WORKDIR /src');
  if (r() < 0.5) {
    lines.push(
      'RUN apt-get update \\',
      '    && apt-get install -y --no-install-recommends git make \\',
      '    && rm -rf /var/lib/apt/lists/*',
    );
  }
  const mounts = r() < 0.5;
  if (r() < 0.7) {
    lines.push('COPY go.mod go.sum ./');
    lines.push(
      mounts ? 'RUN --mount=type=cache,target=/go/pkg/mod \\\n    go mod download -x' : 'RUN go mod download',
    );
  }
  if (r() < 0.3) lines.push('ENV CGO_ENABLED=0 GOFLAGS="-trimpath"');
  if (cross) lines.push('ARG TARGETOS TARGETARCH');
  const extra = 2 + Math.floor(r() * 12);
  for (let i = 0; i < extra; i++) {
    const k = r();
    if (k < 0.2) lines.push(`# step ${i}: ${pick(r, ['generate code', 'vet', 'lint', 'test'])}`);
    else if (k < 0.4)
      lines.push(
        `COPY ${pick(r, ['cmd/', 'internal/', 'pkg/', 'api/'])} ${pick(r, ['cmd/', 'internal/', 'pkg/', 'api/'])}`,
      );
    else if (k < 0.55)
      lines.push(`RUN go generate ./... && go vet ./... || echo "vet failed" >&2; ls -la | wc -l`);
    else if (k < 0.7) {
      lines.push('RUN <<EOF', 'set -eux', `echo building ${i}`, 'go env GOCACHE GOMODCACHE', 'EOF');
    } else if (k < 0.85) {
      lines.push(
        `RUN --mount=type=bind,source=scripts,target=/scripts \\`,
        '    # a comment inside the continuation',
        `    sh /scripts/step${i}.sh \\`,
        `    && echo "done ${i}"`,
      );
    } else lines.push(`LABEL org.opencontainers.image.revision="r${i}" step.${i}="value ${i}"`);
  }
  lines.push('COPY . .');
  const flags = [];
  if (r() < 0.5) flags.push('-trimpath');
  if (r() < 0.5) flags.push(`-ldflags="-s -w -X main.version=${seed}"`);
  if (r() < 0.2) flags.push('-tags netgo,osusergo');
  const env = [];
  if (r() < 0.6) env.push('CGO_ENABLED=0');
  if (cross) env.push('GOOS=$TARGETOS GOARCH=$TARGETARCH');
  const cache = mounts
    ? '--mount=type=cache,target=/go/pkg/mod \\\n    --mount=type=cache,target=/root/.cache/go-build \\\n    '
    : '';
  lines.push(`RUN ${cache}${env.join(' ')} go build ${flags.join(' ')} -o /out/app ./cmd/app`);
  const final = pick(r, [
    'alpine:latest',
    'alpine:3.20',
    'gcr.io/distroless/static-debian12:nonroot',
    'scratch',
    'debian:bookworm-slim',
    'ubuntu:22.04',
  ]);
  lines.push('', `FROM ${final}`);
  if (final.startsWith('alpine') && r() < 0.5) lines.push('RUN apk add --no-cache ca-certificates tzdata');
  lines.push('COPY --from=build /out/app /usr/local/bin/app');
  if (r() < 0.5) lines.push('USER 65532:65532');
  lines.push('EXPOSE 8080');
  lines.push(r() < 0.8 ? 'ENTRYPOINT ["/usr/local/bin/app"]' : 'CMD /usr/local/bin/app --port 8080');
  let text = lines.join('\n');
  // Pad to at least 10 lines, cap at 80.
  let all = text.split('\n');
  while (all.length < 10) all.splice(all.length - 1, 0, `# padding ${all.length}`);
  if (all.length > 80) all = all.slice(0, 80);
  text = `${all.join('\n')}\n`;
  return text;
}

export function corpus(n, seed = 1) {
  const out = [];
  for (let i = 0; i < n; i++) out.push(generateDockerfile(seed * 100_003 + i));
  return out;
}
