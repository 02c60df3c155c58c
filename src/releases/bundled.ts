/**
 * The release tables shipped with goimg: the fallback when the network copy cannot be had.
 * JSON modules, not files read at run time: the CLI bundle inlines them, the tsc build copies them.
 */
import baseImageEolData from '../../data/base-image-eol.json' with { type: 'json' };
import goReleasesData from '../../data/go-releases.json' with { type: 'json' };
import type { EolTable, GoReleaseTable, ReleaseData } from './types.js';

export function bundledGoReleases(): GoReleaseTable {
  return { date: goReleasesData.date, releases: goReleasesData.releases };
}

export function bundledBaseImageEol(): EolTable {
  return { date: baseImageEolData.date, distros: baseImageEolData.distros };
}

export function bundledReleaseData(): ReleaseData {
  return { go: bundledGoReleases(), eol: bundledBaseImageEol() };
}
