#!/usr/bin/env bash
# goimg build benchmarks, side by side in one run:
#  1. rebuild after a one-line source change: goimg build (--oci) vs the host's incremental
#     `go build` alone (same flags), and vs a BuildKit build of a multi-stage Dockerfile with
#     cache mounts for the same change;
#  2. push of an unchanged image to the loopback registry: goimg (requests counted) vs
#     `skopeo copy` of the same OCI layout.
# Usage: bench/build-rebuild.sh [ROUNDS]   (needs scripts/setup-env.sh: engine + registry)
set -euo pipefail
ROUNDS=${1:-3}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
GO=$(ls -d /usr/lib/go-1.2[3-9]/bin/go 2>/dev/null | tail -1)
export DOCKER_HOST=${DOCKER_HOST:-unix:///tmp/goimg-dockerd.sock}
REG=${GOIMG_TEST_REGISTRY:-127.0.0.1:5055}
W=$(mktemp -d /tmp/goimg-bench-build.XXXX)
trap 'rm -rf "$W"' EXIT
cp -r "$ROOT/examples/seed-article" "$W/src"
cd "$W/src"
now() { date +%s.%N; }
edit() { echo "// bench edit $1 $(date +%N)" >> main.go; }

cat > "$W/Dockerfile" <<'DF'
FROM golang:1.23 AS build
WORKDIR /src
COPY go.mod go.sum* ./
RUN --mount=type=cache,target=/go/pkg/mod go mod download
COPY . .
RUN --mount=type=cache,target=/go/pkg/mod --mount=type=cache,target=/root/.cache/go-build \
    CGO_ENABLED=0 go build -trimpath -ldflags="-s -w" -o /out/app .
FROM gcr.io/distroless/static-debian12:nonroot
COPY --from=build /out/app /app
ENTRYPOINT ["/app"]
DF

# Warm everything once.
node "$ROOT/bin/goimg.js" build . --oci "$W/oci" -q >/dev/null
CGO_ENABLED=0 "$GO" build -trimpath -ldflags="-s -w" -o "$W/app" .
DOCKER_BUILDKIT=1 /usr/bin/docker build --network=host -q -f "$W/Dockerfile" -t goimg-bench/seed:bk . >/dev/null

tg=0; tgo=0; tbk=0
for i in $(seq 1 "$ROUNDS"); do
  edit "go$i"; s=$(now); CGO_ENABLED=0 "$GO" build -trimpath -ldflags="-s -w" -o "$W/app" .; e=$(now)
  tgo=$(echo "$tgo + $e - $s" | bc)
  edit "goimg$i"; s=$(now); node "$ROOT/bin/goimg.js" build . --oci "$W/oci" -q >/dev/null; e=$(now)
  tg=$(echo "$tg + $e - $s" | bc)
  edit "bk$i"; s=$(now); DOCKER_BUILDKIT=1 /usr/bin/docker build --network=host -q -f "$W/Dockerfile" -t goimg-bench/seed:bk . >/dev/null; e=$(now)
  tbk=$(echo "$tbk + $e - $s" | bc)
done
printf 'rebuild after a one-line change (mean of %d):\n' "$ROUNDS"
printf '  go build alone        %6.2f s\n' "$(echo "$tgo / $ROUNDS" | bc -l)"
printf '  goimg build --oci     %6.2f s   ratio to go build %.2fx\n' "$(echo "$tg / $ROUNDS" | bc -l)" "$(echo "$tg / $tgo" | bc -l)"
printf '  BuildKit multi-stage  %6.2f s   goimg is %.2fx faster\n' "$(echo "$tbk / $ROUNDS" | bc -l)" "$(echo "$tbk / $tg" | bc -l)"

# Push of an unchanged image.
REPO="$REG/goimg-bench/seed-$$"
node "$ROOT/bin/goimg.js" build . --oci "$W/oci" --tag seed:bench --push "docker://$REPO:a" --insecure -q >/dev/null
s=$(now); OUT=$(node "$ROOT/bin/goimg.js" build . --oci "$W/oci" --tag seed:bench --push "docker://$REPO:a" --insecure --format json); e=$(now)
tpush=$(echo "$e - $s" | bc)
s=$(now); node "$ROOT/bin/goimg.js" build . --oci "$W/oci" --tag seed:bench -q >/dev/null; e=$(now)
tnopush=$(echo "$e - $s" | bc)
skopeo copy -q --dest-tls-verify=false "oci:$W/oci:bench" "docker://$REPO:b" >/dev/null
s=$(now); skopeo copy -q --dest-tls-verify=false "oci:$W/oci:bench" "docker://$REPO:b" >/dev/null; e=$(now)
tsk=$(echo "$e - $s" | bc)
echo "$OUT" | node -e 'const r=JSON.parse(require("fs").readFileSync(0,"utf8")).pushed; console.log(`push of an unchanged image: uploaded ${r.uploaded}, skipped ${r.skipped}, requests ${JSON.stringify(r.requests)}`)'
printf '  goimg push part (build+push minus build) %6.3f s\n' "$(echo "$tpush - $tnopush" | bc -l)"
printf '  skopeo copy (same layout, unchanged)     %6.3f s\n' "$tsk"
