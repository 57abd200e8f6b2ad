/** ISO WKB (little-endian, 2D) encoding and decoding of GeoJSON geometries. */
const WKB_TYPES: Record<string, number> = { Point: 1, LineString: 2, Polygon: 3, MultiPoint: 4, MultiLineString: 5, MultiPolygon: 6 };

function size(g: GeoJSON.Geometry): number {
  switch (g.type) {
    case 'Point':
      return 5 + 16;
    case 'LineString':
      return 9 + 16 * g.coordinates.length;
    case 'Polygon':
      return 9 + g.coordinates.reduce((n, r) => n + 4 + 16 * r.length, 0);
    case 'MultiPoint':
      return 9 + 21 * g.coordinates.length;
    case 'MultiLineString':
      return 9 + g.coordinates.reduce((n, l) => n + 9 + 16 * l.length, 0);
    case 'MultiPolygon':
      return 9 + g.coordinates.reduce((n, p) => n + size({ type: 'Polygon', coordinates: p }), 0);
    default:
      throw new Error(`WKB: ${g.type} not supported`);
  }
}

export function toWkb(g: GeoJSON.Geometry): Uint8Array {
  const buf = new Uint8Array(size(g));
  const view = new DataView(buf.buffer);
  let at = 0;
  const head = (type: number) => {
    view.setUint8(at, 1);
    view.setUint32(at + 1, type, true);
    at += 5;
  };
  const u32 = (n: number) => {
    view.setUint32(at, n, true);
    at += 4;
  };
  const pos = (p: GeoJSON.Position) => {
    view.setFloat64(at, p[0] as number, true);
    view.setFloat64(at + 8, p[1] as number, true);
    at += 16;
  };
  const points = (ps: GeoJSON.Position[]) => {
    u32(ps.length);
    ps.forEach(pos);
  };
  const polygon = (rings: GeoJSON.Position[][]) => {
    head(3);
    u32(rings.length);
    rings.forEach(points);
  };
  switch (g.type) {
    case 'Point':
      head(1);
      pos(g.coordinates);
      break;
    case 'LineString':
      head(2);
      points(g.coordinates);
      break;
    case 'Polygon':
      polygon(g.coordinates);
      break;
    case 'MultiPoint':
      head(4);
      u32(g.coordinates.length);
      g.coordinates.forEach((p) => {
        head(1);
        pos(p);
      });
      break;
    case 'MultiLineString':
      head(5);
      u32(g.coordinates.length);
      g.coordinates.forEach((l) => {
        head(2);
        points(l);
      });
      break;
    case 'MultiPolygon':
      head(6);
      u32(g.coordinates.length);
      g.coordinates.forEach(polygon);
      break;
    default:
      throw new Error(`WKB: ${g.type} not supported`);
  }
  return buf;
}

/** Decodes WKB (either byte order; ISO or EWKB Z/M flags are dropped to 2D). */
export function fromWkb(bytes: Uint8Array, start = 0): GeoJSON.Geometry {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let at = start;
  const read = (): GeoJSON.Geometry => {
    const le = view.getUint8(at) === 1;
    let type = view.getUint32(at + 1, le);
    at += 5;
    let dims = 2;
    if (type & 0x20000000) at += 4; // EWKB SRID
    if (type & 0x80000000 || type & 0x40000000) dims += (type & 0x80000000 ? 1 : 0) + (type & 0x40000000 ? 1 : 0);
    type &= 0x0fffffff;
    if (type > 1000) {
      dims = type >= 3000 ? 4 : 3;
      type %= 1000;
    }
    const u32 = () => {
      const n = view.getUint32(at, le);
      at += 4;
      return n;
    };
    const pos = (): GeoJSON.Position => {
      const p = [view.getFloat64(at, le), view.getFloat64(at + 8, le)];
      at += 8 * dims;
      return p;
    };
    const seq = () => Array.from({ length: u32() }, pos);
    switch (type) {
      case 1:
        return { type: 'Point', coordinates: pos() };
      case 2:
        return { type: 'LineString', coordinates: seq() };
      case 3:
        return { type: 'Polygon', coordinates: Array.from({ length: u32() }, seq) };
      case 4:
        return { type: 'MultiPoint', coordinates: Array.from({ length: u32() }, () => (read() as GeoJSON.Point).coordinates) };
      case 5:
        return { type: 'MultiLineString', coordinates: Array.from({ length: u32() }, () => (read() as GeoJSON.LineString).coordinates) };
      case 6:
        return { type: 'MultiPolygon', coordinates: Array.from({ length: u32() }, () => (read() as GeoJSON.Polygon).coordinates) };
      default:
        throw new Error(`不支持的 WKB 几何类型 ${type}`);
    }
  };
  return read();
}

export const WKB_TYPE_CODES = WKB_TYPES;
