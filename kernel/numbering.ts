/**
 * Grid numbering inside a community: rows from north to south, and west to east
 * within a row (reading order on a north-up map). Grids whose reference points lie
 * within `rowTolerance` (degrees of latitude) of a row's first grid share that row.
 */
export interface NumberingPoint<T> {
  item: T;
  lon: number;
  lat: number;
}

export function readingOrder<T>(points: NumberingPoint<T>[], rowTolerance: number): T[] {
  const byNorth = [...points].sort((a, b) => b.lat - a.lat || a.lon - b.lon);
  const rows: NumberingPoint<T>[][] = [];
  for (const p of byNorth) {
    const row = rows[rows.length - 1];
    if (row && (row[0] as NumberingPoint<T>).lat - p.lat <= rowTolerance) row.push(p);
    else rows.push([p]);
  }
  return rows.flatMap((row) => row.sort((a, b) => a.lon - b.lon).map((p) => p.item));
}

/** A row height that suits a community: half the side of an average grid. */
export function defaultRowTolerance(communityAreaDeg2: number, gridCount: number): number {
  return Math.sqrt(communityAreaDeg2 / Math.max(1, gridCount)) / 2;
}
