/**
 * Why: 多网融合 starts from another department's grid layer (综治, 城管, 公安 …) as that
 * department drew it. It is read with the grid import's readers (GeoJSON, zipped Shapefile,
 * GeoPackage; CRS detected and reprojected to WGS84) and stored as it is in its own network
 * (foreign_networks / foreign_grids): no code rule and no topology rule is imposed, since the
 * point is to compare it with ours (./overlap.ts), not to make it ours. One transaction.
 */
import { sql } from 'drizzle-orm';
import { executeRows, type DbHandle } from '../../db/client';
import { transformGeometry } from '../exports/crs/projections';
import { ImportError } from '../exports/imports/importError';
import { importLimits } from '../exports/imports/limits';
import { readImportFile } from '../exports/imports/readers';
import { uploadedFile } from '../exports/imports/upload';
import { NotFoundError } from '../http/domainError';
import { publishGridChange } from '../grids/gridWrites';

export const FOREIGN_DEPARTMENTS = ['综治', '城管', '公安', '其他'] as const;
export type ForeignDepartment = (typeof FOREIGN_DEPARTMENTS)[number];

const CODE_FIELDS = ['code', 'grid_code', 'wgbm', '网格编码', '编码', 'id', 'bm'];
const NAME_FIELDS = ['name', 'grid_name', 'wgmc', '网格名称', '名称', 'mc'];

export interface ForeignImportOptions {
  name: string;
  department: ForeignDepartment;
  format?: string;
  actor: string;
}

const field = (props: Record<string, unknown>, names: string[]) => {
  const key = Object.keys(props).find((k) => names.includes(k.toLowerCase()));
  return key === undefined || props[key] === null || props[key] === undefined ? null : String(props[key]).trim() || null;
};

/** Reads the file and stores its polygons as a new network; features without a polygon are counted as skipped. */
export async function importForeignNetwork(handle: DbHandle, body: Uint8Array, contentType: string, options: ForeignImportOptions) {
  const { bytes, fileName } = await uploadedFile(body, contentType);
  const file = readImportFile(bytes, options.format, importLimits());
  const rows: { code: string; name: string; attributes: Record<string, unknown>; geometry: string }[] = [];
  let skipped = 0;
  file.features.forEach((f, i) => {
    const g = f.geometry;
    if (!g || (g.type !== 'Polygon' && g.type !== 'MultiPolygon')) {
      skipped++;
      return;
    }
    const geometry = file.crs.id === '4326' || file.crs.id === '4490' ? g : transformGeometry(g, file.crs.inverse);
    const code = field(f.properties, CODE_FIELDS) ?? String(i + 1);
    rows.push({ code, name: field(f.properties, NAME_FIELDS) ?? `${options.name}第${i + 1}网格`, attributes: f.properties, geometry: JSON.stringify(geometry) });
  });
  if (rows.length === 0) throw new ImportError(422, '文件中没有面要素', '文件中没有面（Polygon/MultiPolygon）要素，没有可导入的网格', [{ field: 'file', reason: '没有面要素' }]);
  const id = await handle.db.transaction(async (tx) => {
    const [network] = await executeRows<{ id: number }>(
      tx,
      sql`INSERT INTO foreign_networks (name, department, source_file, imported_by) VALUES (${options.name}, ${options.department}, ${fileName ?? null}, ${options.actor}) RETURNING id`,
    );
    for (let i = 0; i < rows.length; i += 200) {
      const batch = rows.slice(i, i + 200);
      await tx.execute(sql`
        INSERT INTO foreign_grids (network_id, code, name, attributes, geom)
        SELECT ${network!.id}, r.code, r.name, r.attributes, ST_Multi(ST_CollectionExtract(ST_MakeValid(ST_SetSRID(ST_GeomFromGeoJSON(r.g), 4326)), 3))
        FROM jsonb_to_recordset(${JSON.stringify(batch.map((b) => ({ code: b.code, name: b.name, attributes: b.attributes, g: b.geometry })))}::jsonb)
             AS r(code text, name text, attributes jsonb, g text)`);
    }
    return network!.id;
  });
  publishGridChange(handle, { grid: [], community: [], street: [], all: true });
  return { id, name: options.name, department: options.department, grids: rows.length, skipped, crs: file.crs.name, format: file.format };
}

export async function listForeignNetworks(handle: DbHandle) {
  const rows = await handle.rows<{ id: number; name: string; department: string; source_file: string | null; imported_at: Date | string; imported_by: string; grids: number }>(sql`
    SELECT n.id, n.name, n.department, n.source_file, n.imported_at, n.imported_by, (SELECT count(*)::int FROM foreign_grids g WHERE g.network_id = n.id) AS grids
    FROM foreign_networks n ORDER BY n.id`);
  return rows.map((r) => ({ id: r.id, name: r.name, department: r.department, sourceFile: r.source_file, importedAt: new Date(r.imported_at).toISOString(), importedBy: r.imported_by, grids: r.grids }));
}

export async function deleteForeignNetwork(handle: DbHandle, id: number) {
  const rows = await handle.rows<{ id: number }>(sql`DELETE FROM foreign_networks WHERE id = ${id} RETURNING id`);
  if (rows.length === 0) throw new NotFoundError(`网格体系 ${id} 不存在`);
  publishGridChange(handle, { grid: [], community: [], street: [], all: true });
  return { deleted: id };
}

/**
 * Guided adoption, step one: the foreign grid clipped to a community (the one it overlaps most,
 * or `community`), and the base grid that overlaps the clipped shape most, whose boundary the
 * planner replaces with it through the normal validated save (PUT /api/grids/:code).
 */
export async function adoptionDraft(handle: DbHandle, foreignGridId: number, community?: string) {
  const [row] = await handle.rows<{ code: string; name: string; community: string | null; geometry: string | null; grid: string | null; grid_version: number | null; grid_name: string | null }>(sql`
    WITH f AS (SELECT id, code, name, geom FROM foreign_grids WHERE id = ${foreignGridId}),
    c AS (
      SELECT r.code, r.geom FROM regions r, f
      WHERE r.level = 'community' AND r.geom && f.geom AND ST_Relate(r.geom, f.geom, '2********') ${community ? sql`AND r.code = ${community}` : sql``}
      ORDER BY ST_Area(ST_Intersection(r.geom, f.geom)) DESC LIMIT 1),
    clip AS (SELECT c.code AS community, ST_Multi(ST_CollectionExtract(ST_Intersection(f.geom, c.geom), 3)) AS geom FROM f, c),
    best AS (
      SELECT g.code, g.version, g.name FROM grids g, clip
      WHERE g.community_code = clip.community AND g.geom && clip.geom AND ST_Relate(g.geom, clip.geom, '2********')
      ORDER BY ST_Area(ST_Intersection(g.geom, clip.geom)) DESC LIMIT 1)
    SELECT f.code, f.name, clip.community, ST_AsGeoJSON(clip.geom, 7) AS geometry, best.code AS grid, best.version AS grid_version, best.name AS grid_name
    FROM f LEFT JOIN clip ON true LEFT JOIN best ON true`);
  if (!row) throw new NotFoundError(`外部网格 ${foreignGridId} 不存在`);
  if (!row.geometry || !row.community) throw new NotFoundError(`外部网格 ${row.code} 与${community ? `社区 ${community}` : '任何社区'}没有重叠`);
  return {
    foreignGrid: { id: foreignGridId, code: row.code, name: row.name },
    communityCode: row.community,
    geometry: JSON.parse(row.geometry) as GeoJSON.MultiPolygon,
    target: row.grid ? { code: row.grid, name: row.grid_name as string, version: Number(row.grid_version) } : null,
  };
}
