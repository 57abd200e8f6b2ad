/**
 * Incident photos: up to 9 per step of the loop (the report, or one history row of
 * incident_transitions), stored in the database (table incident_photos) so both
 * engines and the backups hold them. Every file of a request is checked first
 * (photoFile.ts) and all are written in one transaction, or none. Only someone who
 * may read the incident sees or adds photos; only the account that wrote a step
 * (its actor, or the reporter for the report) adds photos to it. Uploader and time
 * come from the session and the server clock.
 */
import { sql } from 'drizzle-orm';
import type { DbHandle } from '../../db/client';
import { executeRows } from '../../db/client';
import type { SessionUser } from '../../kernel/roles';
import { DomainError, ForbiddenError, NotFoundError } from '../http/domainError';
import type { FieldError } from '../http/problem';
import { assertMaySeePhotos } from './photoAccess';
import { type InspectedPhoto, inspectPhoto, PHOTO_MAX_BYTES, PHOTOS_PER_STEP, type PhotoRefusal } from './photoFile';

export class PhotosRefused extends DomainError {
  constructor(status: 400 | 413 | 422, title: string, errors: FieldError[]) {
    super(status, title, errors.map((e) => e.reason).join('；'), { errors });
  }
}

/** One file as the request brought it. */
export interface PhotoUpload {
  name: string;
  bytes: Uint8Array;
}

/** A photo as lists and the upload answer show it (never the bytes: those are at `url`). */
export interface PhotoView {
  id: number;
  /** The history row (step) it documents; null: the report. */
  transitionId: number | null;
  url: string;
  thumbUrl: string;
  mime: string;
  bytes: number;
  width: number;
  height: number;
  /** EXIF DateTimeOriginal (ISO), null when the camera wrote none. */
  takenAt: string | null;
  /** EXIF GPS (WGS84), null when absent. */
  lon: number | null;
  lat: number | null;
  uploadedAt: string;
  uploadedBy: { username: string; name: string };
}

interface PhotoRow {
  id: number | string;
  transition_id: number | string | null;
  mime: string;
  bytes: number;
  width: number;
  height: number;
  taken_at: Date | string | null;
  lon: number | null;
  lat: number | null;
  uploaded_at: Date | string;
  uploaded_by_username: string;
  uploaded_by_name: string;
}

const VIEW_COLUMNS = sql`id, transition_id, mime, bytes, width, height, taken_at, lon, lat, uploaded_at, uploaded_by_username, uploaded_by_name`;

function toView(r: PhotoRow): PhotoView {
  const id = Number(r.id);
  return {
    id,
    transitionId: r.transition_id === null ? null : Number(r.transition_id),
    url: `/api/photos/${id}`,
    thumbUrl: `/api/photos/${id}/thumb`,
    mime: r.mime,
    bytes: Number(r.bytes),
    width: Number(r.width),
    height: Number(r.height),
    takenAt: r.taken_at === null ? null : new Date(r.taken_at).toISOString(),
    lon: r.lon === null ? null : Number(r.lon),
    lat: r.lat === null ? null : Number(r.lat),
    uploadedAt: new Date(r.uploaded_at).toISOString(),
    uploadedBy: { username: r.uploaded_by_username, name: r.uploaded_by_name },
  };
}

const sameUser = (username: string | null, user: SessionUser) => username !== null && username.toLowerCase() === user.username.toLowerCase();

/** The step the photos go to must exist on this incident and have been written by the uploader. */
async function assertMayAttach(db: DbHandle, user: SessionUser, incidentId: number, transitionId: number | null): Promise<void> {
  if (transitionId === null) {
    // TODO(core): incidents.reporter_user_id once core adds it; until then the first history row's account reported it.
    const [first] = await db.rows<{ actor_username: string | null }>(sql`SELECT actor_username FROM incident_transitions WHERE incident_id = ${incidentId} ORDER BY id LIMIT 1`);
    if (!sameUser(first?.actor_username ?? null, user)) {
      throw new ForbiddenError(`只有事件 ${incidentId} 的上报人可以为上报环节添加照片；处置、核实等环节的照片请附在您自己的操作上（transitionId）`, {
        errors: [{ field: 'transitionId', reason: '您不是该事件的上报人' }],
      });
    }
    return;
  }
  const [step] = await db.rows<{ incident_id: number | string; actor_username: string | null; actor: string }>(sql`SELECT incident_id, actor_username, actor FROM incident_transitions WHERE id = ${transitionId}`);
  if (!step || Number(step.incident_id) !== incidentId) {
    throw new PhotosRefused(422, '照片上传被拒绝', [{ field: 'transitionId', reason: `事件 ${incidentId} 没有编号为 ${transitionId} 的处理环节` }]);
  }
  if (!sameUser(step.actor_username, user)) {
    throw new ForbiddenError(`处理环节 ${transitionId} 由「${step.actor}」操作，只有操作人本人可以为它添加照片`, { errors: [{ field: 'transitionId', reason: '您不是该环节的操作人' }] });
  }
}

function refusedFiles(refusals: PhotoRefusal[]): PhotosRefused {
  const tooLarge = refusals.some((r) => r.status === 413);
  return new PhotosRefused(
    tooLarge ? 413 : 422,
    tooLarge ? '照片过大' : '照片无效',
    refusals.map((r) => ({ field: r.field, reason: r.reason })),
  );
}

/** Checks and stores 1–9 photos for one step of `incidentId`, all or none. */
export async function uploadPhotos(db: DbHandle, user: SessionUser, incidentId: number, transitionId: number | null, files: PhotoUpload[]): Promise<PhotoView[]> {
  if (files.length === 0) throw new PhotosRefused(400, '请求参数无效', [{ field: 'files', reason: '没有上传照片（表单字段 files）' }]);
  if (files.length > PHOTOS_PER_STEP) throw new PhotosRefused(422, '照片过多', [{ field: 'files', reason: `一次最多上传 ${PHOTOS_PER_STEP} 张照片，本次收到 ${files.length} 个文件` }]);
  await assertMaySeePhotos(db, user, incidentId);
  await assertMayAttach(db, user, incidentId, transitionId);
  // Size first (cheap), then content, file by file; one bad file refuses the whole request.
  const oversized = files.flatMap((f, i) => (f.bytes.length > PHOTO_MAX_BYTES ? [i] : []));
  const checked = oversized.length > 0 ? await Promise.all(oversized.map((i) => inspectPhoto(files[i]!.bytes, i, files[i]!.name))) : await inspectAll(files);
  const refusals = checked.filter((c): c is PhotoRefusal => 'status' in c);
  if (refusals.length > 0) throw refusedFiles(refusals);
  const photos = checked as InspectedPhoto[];

  return db.db.transaction(async (tx) => {
    // The incident row is the lock: two uploads to one step cannot both pass the count.
    await tx.execute(sql`SELECT id FROM incidents WHERE id = ${incidentId} FOR UPDATE`);
    const [count] = await executeRows<{ n: number }>(tx, sql`SELECT count(*)::int AS n FROM incident_photos WHERE incident_id = ${incidentId} AND transition_id IS NOT DISTINCT FROM ${transitionId}::bigint`);
    const existing = Number(count?.n ?? 0);
    if (existing + photos.length > PHOTOS_PER_STEP) {
      throw new PhotosRefused(422, '照片过多', [{ field: 'files', reason: `每个环节最多 ${PHOTOS_PER_STEP} 张照片：已有 ${existing} 张，本次 ${photos.length} 张` }]);
    }
    const at = new Date().toISOString();
    const stored: PhotoView[] = [];
    for (const p of photos) {
      const [row] = await executeRows<PhotoRow>(
        tx,
        sql`
        INSERT INTO incident_photos (incident_id, transition_id, uploaded_by_user_id, uploaded_by_username, uploaded_by_name, uploaded_at,
                                     mime, sha256, bytes, width, height, taken_at, lon, lat, data, thumb)
        VALUES (${incidentId}, ${transitionId}, (SELECT id FROM users WHERE id = ${user.id}), ${user.username}, ${user.displayName || user.username}, ${at}::timestamptz,
                ${p.mime}, ${p.sha256}, ${p.bytes}, ${p.width}, ${p.height}, ${p.takenAt?.toISOString() ?? null}::timestamptz, ${p.lon}, ${p.lat}, ${p.data}, ${p.thumb})
        RETURNING ${VIEW_COLUMNS}`,
      );
      stored.push(toView(row!));
    }
    return stored;
  });
}

/** One at a time: decoding is memory-hungry (up to 9 × 10 MB of compressed pixels). */
async function inspectAll(files: PhotoUpload[]): Promise<(InspectedPhoto | PhotoRefusal)[]> {
  const out: (InspectedPhoto | PhotoRefusal)[] = [];
  for (const [i, f] of files.entries()) out.push(await inspectPhoto(f.bytes, i, f.name));
  return out;
}

/** The photos of an incident, step by step (report first), in upload order. */
export async function listPhotos(db: DbHandle, user: SessionUser, incidentId: number): Promise<PhotoView[]> {
  await assertMaySeePhotos(db, user, incidentId);
  const rows = await db.rows<PhotoRow>(sql`SELECT ${VIEW_COLUMNS} FROM incident_photos WHERE incident_id = ${incidentId} ORDER BY transition_id NULLS FIRST, id`);
  return rows.map(toView);
}

export interface PhotoBytes {
  mime: string;
  etag: string;
  data: Uint8Array;
}

/** The image (or its thumbnail) of photo `id`, for a user who may read its incident. */
export async function photoBytes(db: DbHandle, user: SessionUser, id: number, variant: 'full' | 'thumb'): Promise<PhotoBytes> {
  const [meta] = await db.rows<{ incident_id: number | string }>(sql`SELECT incident_id FROM incident_photos WHERE id = ${id}`);
  if (!meta) throw new NotFoundError(`照片 ${id} 不存在`, { errors: [{ field: 'id', reason: '照片不存在' }] });
  await assertMaySeePhotos(db, user, Number(meta.incident_id));
  const column = variant === 'full' ? sql`data` : sql`thumb`;
  const [row] = await db.rows<{ mime: string; sha256: string; data: Uint8Array }>(sql`SELECT mime, sha256, ${column} AS data FROM incident_photos WHERE id = ${id}`);
  if (!row) throw new NotFoundError(`照片 ${id} 不存在`, { errors: [{ field: 'id', reason: '照片不存在' }] });
  return variant === 'full' ? { mime: row.mime, etag: `"${row.sha256}"`, data: row.data } : { mime: 'image/jpeg', etag: `"${row.sha256}-thumb"`, data: row.data };
}
