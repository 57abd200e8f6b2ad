/** The dry-run report: what an import would do and everything wrong with it. */
export type IssueKind =
  | 'bad_code'
  | 'duplicate_code'
  | 'missing_geometry'
  | 'geometry_type'
  | 'invalid_geometry'
  | 'coordinates_out_of_range'
  | 'bad_attribute'
  | 'unknown_community'
  | 'outside_community'
  | 'overlap_import'
  | 'overlap_existing'
  | 'gap'
  /** The 微网格 of a re-imported base grid could not follow it (server/grids/microFollow.ts). */
  | 'micro_grids';

export interface ImportIssue {
  /** Errors block the commit; warnings (gaps) are reported only. */
  severity: 'error' | 'warning';
  kind: IssueKind;
  /** 1-based feature position in the file, null for community-level issues. */
  feature: number | null;
  code: string | null;
  reason: string;
  /** WGS 84 [lon, lat] where the problem is, when there is a place to point at. */
  location: [number, number] | null;
  /** For overlaps: the other grid's code; for gaps: the area in m². */
  other?: string;
  areaM2?: number;
  /** For bad attributes: the grid attribute (households, population, partyOrgName, gridWorkers) and the file's field it came from. */
  field?: string;
  sourceField?: string;
}

export interface ImportReport {
  dryRun: boolean;
  committed: boolean;
  format: string;
  crs: { id: string; epsg: number | null; name: string; source: string };
  features: number;
  creates: number;
  updates: number;
  /** After a commit: existing grids whose geometry and name were already identical (no new version). */
  unchanged?: number;
  errors: number;
  warnings: number;
  issues: ImportIssue[];
}
