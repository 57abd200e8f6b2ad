/**
 * Turns a parsed file into import candidates: attribute mapping to code/name,
 * reprojection to WGS 84, and the checks that need no database (geometry type,
 * coordinate range — the tell-tale of a wrong CRS —, code format, duplicates).
 */
import { transformGeometry } from '../crs/projections';
import { ATTRIBUTE_FALLBACKS, type AttributeSource, type GridImportAttributes, IMPORTED_ATTRIBUTES, type ImportedAttribute, importAttributes } from './gridAttributes';
import type { ParsedFile } from './readers';
import type { ImportIssue } from './report';

export interface AttributeMapping {
  code: string | null;
  name: string | null;
  /** Source fields of the further attributes (./gridAttributes.ts); absent: recognised by their usual names. */
  attributes?: Partial<Record<ImportedAttribute, string>>;
}

export interface Candidate {
  /** 1-based position in the file. */
  feature: number;
  code: string;
  name: string | null;
  /** Only the attributes the file gives; the others keep their stored values. */
  attributes: GridImportAttributes;
  geometry: GeoJSON.Polygon | GeoJSON.MultiPolygon;
}

/**
 * A candidate as it leaves the import worker: its geometry already serialised,
 * as one element of the JSON the database checks and writes read
 * ({"i","code","name","a","g"}), so the main thread never walks or re-serialises
 * the coordinates.
 */
export interface PreparedCandidate {
  feature: number;
  code: string;
  name: string | null;
  json: string;
}

export const prepared = (c: Candidate): PreparedCandidate => ({
  feature: c.feature,
  code: c.code,
  name: c.name,
  json: JSON.stringify({ i: c.feature, code: c.code, name: c.name, a: c.attributes, g: c.geometry }),
});

const CODE_CANDIDATES = ['code', 'grid_code', 'gridcode', 'wgbm', '网格编码', '编码'];
const NAME_CANDIDATES = ['name', 'grid_name', 'gridname', 'wgmc', '网格名称', '名称'];

const MAPPING_KEYS: readonly string[] = ['code', 'name', ...IMPORTED_ATTRIBUTES];

/** "code:WGBM,name:WGMC,households:HS" or {"code":"WGBM","name":"WGMC","gridWorkers":"WGY"}; field names match case-insensitively. */
export function parseMapping(text: string | undefined): AttributeMapping | string {
  if (!text) return { code: null, name: null };
  let pairs: Record<string, unknown>;
  if (text.trim().startsWith('{')) {
    try {
      pairs = JSON.parse(text) as Record<string, unknown>;
    } catch {
      return 'mapping 不是有效的 JSON';
    }
  } else {
    pairs = Object.fromEntries(text.split(',').map((p) => p.split(':').map((s) => s.trim()) as [string, string]));
  }
  for (const key of Object.keys(pairs)) if (!MAPPING_KEYS.includes(key)) return `mapping 只能指定 ${MAPPING_KEYS.join('、')}，不认识 ${key}`;
  for (const v of Object.values(pairs)) if (typeof v !== 'string' || !v) return 'mapping 的字段名应为非空字符串';
  const attributes = Object.fromEntries(IMPORTED_ATTRIBUTES.filter((k) => typeof pairs[k] === 'string').map((k) => [k, pairs[k] as string]));
  return { code: (pairs.code as string | undefined) ?? null, name: (pairs.name as string | undefined) ?? null, ...(Object.keys(attributes).length > 0 ? { attributes } : {}) };
}

function pick(properties: Record<string, unknown>, wanted: string | null, fallbacks: string[]): { key: string | null; value: unknown } {
  const keys = Object.keys(properties);
  const find = (name: string) => keys.find((k) => k.toLowerCase() === name.toLowerCase()) ?? null;
  if (wanted) {
    const key = find(wanted);
    return { key, value: key ? properties[key] : undefined };
  }
  for (const name of fallbacks) {
    const key = find(name);
    if (key) return { key, value: properties[key] };
  }
  return { key: null, value: undefined };
}

function firstPosition(g: GeoJSON.Geometry): [number, number] | null {
  let c: unknown = (g as { coordinates?: unknown }).coordinates;
  while (Array.isArray(c) && Array.isArray(c[0])) c = c[0];
  return Array.isArray(c) && typeof c[0] === 'number' ? [c[0] as number, c[1] as number] : null;
}

function inLonLatRange(g: GeoJSON.Geometry): boolean {
  let ok = true;
  const visit = (c: unknown): void => {
    if (!ok) return;
    if (typeof (c as number[])[0] === 'number') {
      const [x, y] = c as [number, number];
      if (!Number.isFinite(x) || !Number.isFinite(y) || x < -180 || x > 180 || y < -90 || y > 90) ok = false;
    } else (c as unknown[]).forEach(visit);
  };
  visit((g as { coordinates?: unknown }).coordinates ?? []);
  return ok;
}

export function prepareCandidates(file: ParsedFile, mapping: AttributeMapping): { candidates: Candidate[]; issues: ImportIssue[]; missingField: string | null } {
  const issues: ImportIssue[] = [];
  /** Fields the mapping names that some feature lacks. */
  const missingAttributes = new Set<string>();
  const candidates: Candidate[] = [];
  const seen = new Map<string, number>();
  let missingField: string | null = null;
  file.features.forEach((f, i) => {
    const feature = i + 1;
    const code = pick(f.properties, mapping.code, CODE_CANDIDATES);
    const name = pick(f.properties, mapping.name, NAME_CANDIDATES);
    if (code.key === null) {
      missingField ??= mapping.code ?? 'code';
      return;
    }
    const codeText = code.value === null || code.value === undefined ? '' : String(code.value).trim();
    const issue = (kind: ImportIssue['kind'], reason: string, location: [number, number] | null = null) => issues.push({ severity: 'error', kind, feature, code: codeText || null, reason, location });
    if (!/^\d{15}$/.test(codeText)) {
      issue('bad_code', `网格编码“${codeText}”应为 15 位数字（12 位社区编码 + 3 位序号）`);
      return;
    }
    const previous = seen.get(codeText);
    if (previous !== undefined) {
      issue('duplicate_code', `网格编码 ${codeText} 在文件中重复（第 ${previous} 个与第 ${feature} 个要素）`);
      return;
    }
    seen.set(codeText, feature);
    if (!f.geometry) {
      issue('missing_geometry', '要素没有几何图形');
      return;
    }
    if (f.geometry.type !== 'Polygon' && f.geometry.type !== 'MultiPolygon') {
      issue('geometry_type', `网格应为面（Polygon/MultiPolygon），实际为 ${f.geometry.type}`);
      return;
    }
    let geometry: GeoJSON.Geometry;
    try {
      geometry = file.crs.id === '4326' || file.crs.id === '4490' ? f.geometry : transformGeometry(f.geometry, file.crs.inverse);
    } catch {
      issue('invalid_geometry', '几何坐标无法读取');
      return;
    }
    if (!inLonLatRange(geometry)) {
      issue('coordinates_out_of_range', `坐标超出经纬度范围（文件声明的坐标系为 ${file.crs.name}），坐标系可能不正确`, firstPosition(f.geometry));
      return;
    }
    const nameValue = name.value === null || name.value === undefined || name.value === '' ? null : String(name.value);
    const sources: AttributeSource[] = [];
    for (const key of IMPORTED_ATTRIBUTES) {
      const wanted = mapping.attributes?.[key] ?? null;
      const found = pick(f.properties, wanted, ATTRIBUTE_FALLBACKS[key]);
      if (found.key !== null) sources.push({ key, field: found.key, value: found.value });
      else if (wanted) missingAttributes.add(wanted);
    }
    const attrs = importAttributes(sources, feature, codeText);
    issues.push(...attrs.issues);
    candidates.push({ feature, code: codeText, name: nameValue, attributes: attrs.attributes, geometry: geometry as GeoJSON.Polygon | GeoJSON.MultiPolygon });
  });
  // A field named in the mapping that no feature has is a typo, not an empty column.
  if (missingField === null && missingAttributes.size > 0 && file.features.length > 0) {
    const keys = new Set(file.features.flatMap((f) => Object.keys(f.properties).map((k) => k.toLowerCase())));
    const absent = [...missingAttributes].find((m) => !keys.has(m.toLowerCase()));
    if (absent) missingField = absent;
  }
  return { candidates, issues, missingField };
}
