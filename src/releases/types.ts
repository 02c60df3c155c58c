/** The release data goimg judges base images and Go versions by, and where each table came from. */

export interface GoRelease {
  /** The major release, "1.27". */
  version: string;
  /** Its release day (YYYY-MM-DD); the first of the month when only the month is known. */
  released: string;
  /** Its patch releases, newest first ("1.27.4", …, "1.27.0"), when known. */
  patches?: string[];
  /** Not in the data: expected from Go's release calendar because the data is old. */
  projected?: boolean;
}

export interface GoReleaseTable {
  /** The day the data was last brought up to date. */
  date: string;
  /** Newest first. */
  releases: GoRelease[];
}

export type Distro = 'alpine' | 'debian' | 'ubuntu';

export interface EolEntry {
  version: string;
  codename?: string;
  /** End of life (YYYY-MM-DD): no more security updates after it; absent when none is announced. */
  eol?: string;
  /** The newest point release ("3.24.1", "13.2"), when known. */
  latest?: string;
}

export interface EolTable {
  date: string;
  /** Releases newest first. */
  distros: Record<Distro, EolEntry[]>;
}

export interface ReleaseData {
  go: GoReleaseTable;
  eol: EolTable;
}

export type TableName = 'go-releases' | 'base-image-eol';

/** Where a table in use came from, for `goimg doctor` and for findings that depend on it. */
export interface TableStatus {
  name: TableName;
  date: string;
  /** bundled: the snapshot shipped with goimg; cache: fetched earlier; network: fetched now. */
  source: 'bundled' | 'cache' | 'network';
  /** Where it is fetched from (also when the bundled copy is in use). */
  url: string;
  /** More than six months old: newer releases are likely missing. */
  stale: boolean;
  /** Why the network copy is not in use, when a fetch failed. */
  error?: string;
}
