/**
 * goreleaser's per-target template fields ({{.Os}}, {{.Arch}}, {{.Arm}}, {{.Target}}) in a
 * generated Dockerfile: BuildKit's TARGETOS and TARGETARCH, and shell that derives the other two
 * from TARGETARCH and TARGETVARIANT before go build. Pure: names and text.
 */

/** The ARGs the build stage declares for the fields the injection uses. */
export function platformArgs(fields: readonly string[]): string[] {
  if (fields.some((f) => f.startsWith('GORELEASER_'))) return ['TARGETOS', 'TARGETARCH', 'TARGETVARIANT'];
  return ['TARGETOS', 'TARGETARCH'].filter((a) => fields.includes(a));
}

/** Comment lines and the shell statements that set GORELEASER_ARM and GORELEASER_TARGET. */
export function platformShell(fields: readonly string[]): { comment: string[]; shell: string } | undefined {
  if (!fields.some((f) => f.startsWith('GORELEASER_'))) return undefined;
  return {
    comment: [
      "# goreleaser's {{.Arm}} is GOARM: the digit of BuildKit's arm variant (linux/arm/v7 → 7), empty",
      '# on other architectures; {{.Target}} is os_arch plus that digit, or plus the amd64 level (v1 when',
      '# TARGETVARIANT is empty), as goreleaser names its targets.',
    ],
    shell:
      'GORELEASER_ARM=; GORELEASER_TARGET=${TARGETOS}_${TARGETARCH}; case $TARGETARCH in' +
      ' arm) GORELEASER_ARM=${TARGETVARIANT#v}; GORELEASER_TARGET=${GORELEASER_TARGET}_${GORELEASER_ARM} ;;' +
      ' amd64) GORELEASER_TARGET=${GORELEASER_TARGET}_${TARGETVARIANT:-v1} ;; esac;',
  };
}
