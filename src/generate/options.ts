/**
 * What `goimg init` lets a user choose. The CLI parses flags into this; the generator is a pure
 * function of the project model and these options.
 */
import type { BaseChoice } from '../oci/base-choice.js';
import type { Platform } from '../oci/platform.js';
import type { MissingEmbed } from './generated-assets.js';
import type { ReleaseInputs } from './release-inputs.js';

export type CgoChoice = 'auto' | 'on' | 'off';
export type CiChoice = 'github' | 'gitlab';

export interface GenerateOptions {
  /** Runtime base: auto picks the smallest one that has what the binary needs. */
  base: BaseChoice;
  cgo: CgoChoice;
  /** Target platforms; empty means "whatever the builder is" (one platform). */
  platforms: Platform[];
  /** Builder Go version ("1.23"); default: the version policy; minimum: the go.mod version. */
  goVersion?: string;
  /** Released Go majors, newest first, for the version policy; empty: go.mod's version. */
  goReleases: string[];
  /** The release table's date, quoted in the generated comment. */
  goTableDate?: string;
  /** The Go version the project's existing Dockerfile builds with: the builder is never older. */
  currentGo?: string;
  /** Main package directory relative to the root ("." or "cmd/api"); required when several exist. */
  main?: string;
  /** Port to EXPOSE; overrides what the source tells. */
  port?: number;
  /** Emit `# syntax=docker/dockerfile:1` (off for engines that cannot fetch the frontend). */
  syntaxDirective: boolean;
  /** GOPRIVATE patterns; turns on the credentials secret mount for module downloads. */
  private: string[];
  /** The project's own release build (goreleaser, ko) and -X version injection, when it has them. */
  release?: ReleaseInputs;
  /** Embed patterns with no files in the tree (generated-assets.ts), read by the caller. */
  missingEmbeds?: MissingEmbed[];
}

export const DEFAULT_GENERATE_OPTIONS: GenerateOptions = {
  base: { kind: 'auto' },
  cgo: 'auto',
  platforms: [],
  goReleases: [],
  syntaxDirective: true,
  private: [],
};
