/**
 * ISO WKB as the database writes it (ST_AsBinary): decoding to GeoJSON (imports),
 * and walking the coordinates in place — envelopes for GeoPackage headers and
 * R-trees, GCJ-02 offsets — without building GeoJSON (exports).
 */

interface WkbHeader {
  littleEndian: boolean;
  /** 1 Point … 6 MultiPolygon. */
  type: number;
  /** Doubles per position (2D, Z, M, ZM). */
  dims: number;
  /** Offset just after the header (and EWKB SRID). */
  next: number;
}

/** Reads one geometry header (either byte order; ISO or EWKB Z/M flags). */
function readHeader(view: DataView, at: number): WkbHeader {
  const littleEndian = view.getUint8(at) === 1;
  let type = view.getUint32(at + 1, littleEndian);
  let next = at + 5;
  let dims = 2;
  if (type & 0x20000000) next += 4; // EWKB SRID
  if (type & 0x80000000 || type & 0x40000000) dims += (type & 0x80000000 ? 1 : 0) + (type & 0x40000000 ? 1 : 0);
  type &= 0x0fffffff;
  if (type > 1000) {
    dims = type >= 3000 ? 4 : 3;
    type %= 1000;
  }
  return { littleEndian, type, dims, next };
}

const viewOf = (bytes: Uint8Array) => new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);

/** Decodes WKB to GeoJSON; Z and M are dropped to 2D. */
export function fromWkb(bytes: Uint8Array, start = 0): GeoJSON.Geometry {
  const view = viewOf(bytes);
  let at = start;
  const read = (): GeoJSON.Geometry => {
    const { littleEndian: le, type, dims, next } = readHeader(view, at);
    at = next;
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

/** Called for each position: x at `at`, y at `at + 8`. Module-level visitors with a context avoid a closure per geometry. */
type Visit<C> = (view: DataView, at: number, le: boolean, context: C) => void;

/** Visits the positions of one geometry starting at `start`; returns the offset after it. */
function walk<C>(view: DataView, start: number, visit: Visit<C>, context: C): number {
  const { littleEndian: le, type, dims, next } = readHeader(view, start);
  const step = 8 * dims;
  let at = next;
  switch (type) {
    case 1: // an empty point is NaN NaN
      if (!Number.isNaN(view.getFloat64(at, le))) visit(view, at, le, context);
      return at + step;
    case 2:
      return walkPositions(view, at, le, step, visit, context);
    case 3: {
      const rings = view.getUint32(at, le);
      at += 4;
      for (let r = 0; r < rings; r++) at = walkPositions(view, at, le, step, visit, context);
      return at;
    }
    case 4:
    case 5:
    case 6:
    case 7: {
      const parts = view.getUint32(at, le);
      at += 4;
      for (let p = 0; p < parts; p++) at = walk(view, at, visit, context);
      return at;
    }
    default:
      throw new Error(`不支持的 WKB 几何类型 ${type}`);
  }
}

function walkPositions<C>(view: DataView, start: number, le: boolean, step: number, visit: Visit<C>, context: C): number {
  const n = view.getUint32(start, le);
  let at = start + 4;
  for (let i = 0; i < n; i++, at += step) visit(view, at, le, context);
  return at;
}

/** [minX, minY, maxX, maxY] while walking. */
function extend(view: DataView, at: number, le: boolean, box: [number, number, number, number]): void {
  const x = view.getFloat64(at, le);
  const y = view.getFloat64(at + 8, le);
  if (x < box[0]) box[0] = x;
  if (y < box[1]) box[1] = y;
  if (x > box[2]) box[2] = x;
  if (y > box[3]) box[3] = y;
}

/** [minX, minY, maxX, maxY] of a WKB geometry, or null when it is empty. */
export function wkbEnvelope(bytes: Uint8Array): [number, number, number, number] | null {
  const box: [number, number, number, number] = [Infinity, Infinity, -Infinity, -Infinity];
  walk(viewOf(bytes), 0, extend, box);
  return box[0] <= box[2] ? box : null;
}

function applyTransform(view: DataView, at: number, le: boolean, transform: (x: number, y: number) => [number, number]): void {
  const [x, y] = transform(view.getFloat64(at, le), view.getFloat64(at + 8, le));
  view.setFloat64(at, x, le);
  view.setFloat64(at + 8, y, le);
}

/** Applies `transform` to every position of a WKB geometry, in place; returns the same bytes. */
export function transformWkb(bytes: Uint8Array, transform: (x: number, y: number) => [number, number]): Uint8Array {
  walk(viewOf(bytes), 0, applyTransform, transform);
  return bytes;
}
