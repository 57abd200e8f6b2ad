/**
 * How much one import may make the server do. The upload itself is capped by
 * its byte size (upload.ts); these caps bound what the bytes expand into: the
 * total inflated size of the zip entries a Shapefile import reads, and the
 * number of vertices parsed and checked. Both are read from the environment at
 * each request so an operator (or a test) can move them without a rebuild:
 *   IMPORT_MAX_UNZIPPED_MB  (default 200)     total size of the .shp/.dbf/.prj/.cpg read from a zip
 *   IMPORT_MAX_VERTICES     (default 500000)  vertices (coordinate positions) per upload
 */
import { ImportError } from './importError';

export interface ImportLimits {
  maxUnzippedBytes: number;
  maxVertices: number;
}

export const DEFAULT_MAX_UNZIPPED_MB = 200;
export const DEFAULT_MAX_VERTICES = 500_000;

const positive = (text: string | undefined, fallback: number) => {
  const n = Number(text);
  return text && Number.isFinite(n) && n > 0 ? n : fallback;
};

export function importLimits(env: Record<string, string | undefined> = process.env): ImportLimits {
  return {
    maxUnzippedBytes: Math.floor(positive(env.IMPORT_MAX_UNZIPPED_MB, DEFAULT_MAX_UNZIPPED_MB) * 1024 * 1024),
    maxVertices: Math.floor(positive(env.IMPORT_MAX_VERTICES, DEFAULT_MAX_VERTICES)),
  };
}

export const formatMb = (bytes: number) => (bytes < 1024 * 1024 ? `${Math.ceil(bytes / 1024)} KB` : `${(bytes / 1024 / 1024).toFixed(bytes >= 10 * 1024 * 1024 ? 0 : 1)} MB`);

/** 413: the entries of the zip would inflate past the cap; names the entry that crosses it. */
export const unzippedTooLarge = (entry: string, bytes: number, max: number) =>
  new ImportError(413, '解压后文件过大', `zip 中的 ${entry} 解压后不少于 ${formatMb(bytes)}，导入读取的文件解压后合计不能超过 ${formatMb(max)}，未写入任何数据`, [{ field: 'file', reason: `${entry} 解压后过大` }]);

/** 413: more vertices than one import may check. */
export const tooManyVertices = (count: number, max: number, approximate = false) =>
  new ImportError(413, '图形过于复杂', `文件中有${approximate ? '约 ' : ' '}${count} 个顶点，超过每次导入的上限 ${max} 个；请简化图形或分批导入，未写入任何数据`, [{ field: 'file', reason: `顶点数超过上限 ${max}` }]);

/** Counts vertices as a reader produces them and refuses the file as soon as the cap is passed. */
export class VertexBudget {
  private used = 0;
  constructor(readonly max: number) {}

  take(n: number): void {
    this.used += n;
    if (this.used > this.max) throw tooManyVertices(this.used, this.max);
  }

  get count(): number {
    return this.used;
  }
}

/** Vertices of a GeoJSON geometry (nested coordinate arrays, collections included). */
export function vertexCount(geometry: GeoJSON.Geometry | null | undefined): number {
  if (!geometry) return 0;
  if (geometry.type === 'GeometryCollection') return (geometry.geometries ?? []).reduce((n, g) => n + vertexCount(g), 0);
  let n = 0;
  const visit = (c: unknown): void => {
    if (!Array.isArray(c)) return;
    if (typeof c[0] === 'number') n++;
    else for (const x of c) visit(x);
  };
  visit((geometry as { coordinates?: unknown }).coordinates);
  return n;
}

/**
 * Without parsing a JSON text: an upper bound of its positions — arrays whose
 * first element is a number, outside strings (every GeoJSON position is one; a
 * numeric array among the properties, or a bbox, is counted too, which only
 * ever errs on the side of the cap) — and its deepest bracket nesting. Lets a
 * GeoJSON with far too many vertices, or nested deep enough to exhaust a
 * recursive walk, be refused before JSON.parse builds anything.
 */
export function jsonShape(bytes: Uint8Array): { positions: number; depth: number } {
  let positions = 0;
  let depth = 0;
  let maxDepth = 0;
  let inString = false;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    if (inString) {
      if (b === 0x5c)
        i++; // backslash: skip the escaped byte
      else if (b === 0x22) inString = false;
    } else if (b === 0x22) inString = true;
    else if (b === 0x5b || b === 0x7b) {
      if (++depth > maxDepth) maxDepth = depth;
      if (b === 0x7b) continue;
      let j = i + 1;
      while (bytes[j] === 0x20 || bytes[j] === 0x0a || bytes[j] === 0x0d || bytes[j] === 0x09) j++;
      const next = bytes[j];
      if (next === 0x2d || (next !== undefined && next >= 0x30 && next <= 0x39)) positions++;
    } else if (b === 0x5d || b === 0x7d) depth--;
  }
  return { positions, depth: maxDepth };
}
