/**
 * goreleaser's per-target template fields ({{.Os}}, {{.Arch}}, {{.Arm}}, {{.Target}}) in a
 * generated Dockerfile: BuildKit's TARGETOS and TARGETARCH, and shell that derives the other two
 * from TARGETARCH and TARGETVARIANT before go build. Pure: names and text.
 */

/** The ARGs the build stage declares for the fields the injection uses (and GOARM, with arm32). */
export function platformArgs(fields: readonly string[], arm32 = false): string[] {
  if (arm32 || fields.some((f) => f.startsWith('GORELEASER_')))
    return ['TARGETOS', 'TARGETARCH', 'TARGETVARIANT'];
  return ['TARGETOS', 'TARGETARCH'].filter((a) => fields.includes(a));
}

/**
 * GOARM for 32-bit arm targets, from BuildKit's variant (linux/arm/v6 → 6). Without it go builds
 * for ARMv7 (its default), which a v6 CPU cannot run. Set only on arm: older go commands reject a
 * GOARM they cannot read whatever GOARCH is (an amd64 level such as v3 would break the build).
 */
export const GOARM_COMMENT =
  "# GOARM from BuildKit's arm variant (linux/arm/v6 → 6): go's default, ARMv7, does not run on v6 CPUs.";
export const GOARM_SHELL = 'case $TARGETARCH in arm) export GOARM=${TARGETVARIANT#v} ;; esac;';

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
