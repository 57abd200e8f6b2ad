/**
 * Incident photos end to end through the HTTP API on both engines, with real
 * images made by sharp: what is stored and served (EXIF time/GPS, thumbnails,
 * headers), who may upload and see them, and every refusal leaving nothing behind.
 */
import type { PhotoView } from './photos';
import { createHash } from 'node:crypto';
import { sql } from 'drizzle-orm';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Role, SessionUser } from '../../kernel/roles';
import { accessFor } from '../auth/policy';
import { PHOTOS_BODY_MAX_BYTES } from '../http/hardening';
import { describeEachEngine } from '../testing/databases';
import { requestAs } from '../testing/requestAs';
import { sniffImageType } from '../../kernel/photos';
import { exifInstant, type InspectedPhoto, inspectPhoto, PHOTO_MAX_BYTES } from './photoFile';

const MINGSHAN_GRID = '450902005001001'; // 名山街道 五里桥社区
const CHENGXI_GRID = '450902003001001'; // 城西街道 庆丰社区

interface Problem {
  title: string;
  detail: string;
  errors: { field: string; reason: string }[];
}
/** The answer's photo, as the module declares it (not a hand-written mirror). */
type Photo = PhotoView;

const solid = (width: number, height: number, colour: string) => sharp({ create: { width, height, channels: 3, background: colour } });

/** A JPEG as a phone writes it: EXIF DateTimeOriginal (no zone: China time) and a GPS fix near 名山街道. */
const jpegWithGps = () =>
  solid(800, 600, '#c03030')
    .jpeg()
    .withExif({
      IFD0: { Make: '测试相机' },
      IFD2: { DateTimeOriginal: '2026:11:30 09:15:42' },
      IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '22/1 38/1 2400/100', GPSLongitudeRef: 'E', GPSLongitude: '110/1 9/1 1800/100' },
    })
    .toBuffer();
const png = () => solid(400, 1000, '#30c030').png().toBuffer();
const webp = () => solid(640, 480, '#3030c0').webp().toBuffer();

function form(files: { name: string; bytes: Uint8Array; type?: string }[], fields: Record<string, string> = {}): FormData {
  const f = new FormData();
  for (const file of files) f.append('files', new File([file.bytes as Uint8Array<ArrayBuffer>], file.name, { type: file.type ?? 'image/jpeg' }));
  for (const [k, v] of Object.entries(fields)) f.append(k, v);
  return f;
}

describe('photo files', () => {
  it('tells the type from the magic bytes only', async () => {
    expect(sniffImageType(await jpegWithGps())).toBe('image/jpeg');
    expect(sniffImageType(await png())).toBe('image/png');
    expect(sniffImageType(await webp())).toBe('image/webp');
    expect(sniffImageType(new TextEncoder().encode('RIFF1234WAVEfmt '))).toBeNull();
    expect(sniffImageType(new TextEncoder().encode('GIF89a'))).toBeNull();
    expect(sniffImageType(new Uint8Array([0xff, 0xd8]))).toBeNull();
  });

  it('reports the displayed size of a sideways phone photo and thumbnails it upright', async () => {
    const sideways = await solid(800, 600, '#808080').jpeg().withMetadata({ orientation: 6 }).toBuffer();
    const photo = await inspectPhoto(sideways, 0, 'portrait.jpg');
    expect('status' in photo).toBe(false);
    const ok = photo as InspectedPhoto;
    expect([ok.width, ok.height]).toEqual([600, 800]);
    const thumb = await sharp(ok.thumb).metadata();
    expect([thumb.width, thumb.height, thumb.orientation ?? 1, thumb.exif]).toEqual([240, 320, 1, undefined]);
  });

  it('has its policy rules: loop roles and editors upload, any signed-in user asks for images, other incident writes unchanged', () => {
    expect(accessFor('POST', '/api/incidents/12/photos')).toEqual(['grid_worker', 'dispatcher', 'dept_staff', 'planner', 'admin']);
    expect(accessFor('GET', '/api/incidents/12/photos')).toBe('signedIn');
    expect(accessFor('GET', '/api/photos/12')).toBe('signedIn');
    expect(accessFor('GET', '/api/photos/12/thumb')).toBe('signedIn');
    expect(accessFor('POST', '/api/incidents/12/transitions')).toEqual(['planner', 'admin']);
  });

  it('reads the EXIF wall clock in the offset the camera wrote, else China time', () => {
    expect(exifInstant('2026:11:30 09:15:42', undefined)?.toISOString()).toBe('2026-11-30T01:15:42.000Z');
    expect(exifInstant('2026:11:30 09:15:42', '+00:00')?.toISOString()).toBe('2026-11-30T09:15:42.000Z');
    expect(exifInstant('0000:00:00 00:00:00', undefined)).toBeNull();
    expect(exifInstant(42, undefined)).toBeNull();
  });
});

describeEachEngine('incident photos', (db) => {
  let incidentId: number;
  let otherIncidentId: number;
  let reportStep: number;
  let dispatcherStep: number;
  let staffStep: number;
  let otherIncidentStep: number;
  const users: Record<string, SessionUser> = {};

  async function account(username: string, role: Role, binding: Partial<SessionUser> = {}): Promise<SessionUser> {
    const [row] = await db().rows<{ id: number }>(sql`
      INSERT INTO users (username, display_name, role, jurisdiction_code, department_id)
      VALUES (${username}, ${`${username}（测试）`}, ${role}, ${binding.jurisdictionCode ?? null}, ${binding.departmentId ?? null}) RETURNING id`);
    return { id: Number(row!.id), username, displayName: `${username}（测试）`, role, jurisdictionCode: null, gridCodes: [], departmentId: null, ...binding };
  }

  async function incidentIn(grid: string, reporter: SessionUser): Promise<{ id: number; step: number }> {
    const [row] = await db().rows<{ id: number }>(sql`
      INSERT INTO incidents (category_code, source, reporter, reporter_user_id, description, geom, grid_code, community_code, street_code, stage, reported_at, deadline_at)
      SELECT 'SR01', 'grid', ${reporter.displayName}, ${reporter.id}, '照片测试', label_point, code, community_code, street_code, 'collect', now(), now() + interval '2 days'
      FROM grids WHERE code = ${grid} RETURNING id`);
    const id = Number(row!.id);
    return { id, step: await step(id, reporter, 'report') };
  }

  /** A history row written by `actor` (as core's actions will), the step photos attach to. */
  async function step(incident: number, actor: SessionUser, action: string, departmentId: number | null = null): Promise<number> {
    const [row] = await db().rows<{ id: number }>(sql`
      INSERT INTO incident_transitions (incident_id, from_stage, to_stage, actor, actor_username, actor_user_id, at, action, department_id)
      VALUES (${incident}, ${action === 'report' ? null : 'collect'}, 'collect', ${actor.displayName}, ${actor.username}, ${actor.id}, now(), ${action}, ${departmentId}) RETURNING id`);
    return Number(row!.id);
  }

  beforeAll(async () => {
    const [a, b] = await db().rows<{ id: number }>(sql`INSERT INTO departments (code, name, level) VALUES ('P-CG', '测试城管', 'district'), ('P-SW', '测试水务', 'district') RETURNING id`);
    users.reporter = await account('photo-gw', 'grid_worker', { gridCodes: [MINGSHAN_GRID] });
    users.otherGridWorker = await account('photo-gw-cx', 'grid_worker', { gridCodes: [CHENGXI_GRID] });
    users.dispatcher = await account('photo-dp', 'dispatcher', { jurisdictionCode: '450902005' });
    users.staff = await account('photo-ds-a', 'dept_staff', { departmentId: Number(a!.id) });
    users.otherStaff = await account('photo-ds-b', 'dept_staff', { departmentId: Number(b!.id) });
    users.leader = await account('photo-leader', 'leader');
    users.chengxiPlanner = await account('photo-planner-cx', 'planner', { jurisdictionCode: '450902003' });
    const incident = await incidentIn(MINGSHAN_GRID, users.reporter);
    incidentId = incident.id;
    reportStep = incident.step;
    // Dispatched to department A (whose staff then read the case), then signed by its staff.
    dispatcherStep = await step(incidentId, users.dispatcher, 'dispatch', users.staff.departmentId);
    staffStep = await step(incidentId, users.staff, 'sign');
    const other = await incidentIn(MINGSHAN_GRID, users.reporter);
    otherIncidentId = other.id;
    otherIncidentStep = other.step;
  });

  const as = (who: string, path: string, init?: RequestInit) => requestAs(db(), users[who]!, path, init);
  const upload = (who: string, body: FormData | string, incident = incidentId, headers?: Record<string, string>) => as(who, `/api/incidents/${incident}/photos`, { method: 'POST', body, headers });
  const stored = async () => {
    const [row] = await db().rows<{ n: number; bytes: number }>(sql`SELECT count(*)::int AS n, coalesce(sum(bytes), 0)::int AS bytes FROM incident_photos`);
    return { n: Number(row!.n), bytes: Number(row!.bytes) };
  };
  /** Expects a Chinese problem details refusal with `status`, and nothing written. */
  async function refused(res: Response | Promise<Response>, status: number, before: { n: number; bytes: number }): Promise<Problem> {
    const r = await res;
    const body = (await r.json()) as Problem;
    expect({ status: r.status, type: r.headers.get('content-type') }).toEqual({ status, type: 'application/problem+json; charset=utf-8' });
    expect(body.title).toMatch(/[\u4e00-\u9fff]/);
    expect(body.detail).toMatch(/[\u4e00-\u9fff]/);
    expect(await stored()).toEqual(before);
    return body;
  }

  it('stores a JPEG, a PNG and a WebP for the report, reading EXIF time and GPS', async () => {
    const jpeg = await jpegWithGps();
    const res = await upload(
      'reporter',
      form([
        { name: '现场.jpg', bytes: jpeg },
        // The declared type is wrong on purpose: the bytes decide.
        { name: 'screenshot.png', bytes: await png(), type: 'application/octet-stream' },
        { name: '远景.webp', bytes: await webp(), type: 'image/webp' },
      ]),
    );
    expect(res.status).toBe(201);
    const { photos } = (await res.json()) as { photos: Photo[] };
    expect(photos.map((p) => [p.transitionId, p.mime, p.width, p.height])).toEqual([
      [null, 'image/jpeg', 800, 600],
      [null, 'image/png', 400, 1000],
      [null, 'image/webp', 640, 480],
    ]);
    expect(photos[0]).toMatchObject({ bytes: jpeg.length, takenAt: '2026-11-30T01:15:42.000Z', uploadedBy: { username: 'photo-gw', name: 'photo-gw（测试）' } });
    expect(photos[0]!.lat).toBeCloseTo(22.64, 6);
    expect(photos[0]!.lon).toBeCloseTo(110.155, 6);
    expect(photos[1]).toMatchObject({ takenAt: null, lon: null, lat: null });
    const [row] = await db().rows<{ uploaded_by_user_id: number; age_s: number }>(
      sql`SELECT uploaded_by_user_id, extract(epoch FROM now() - uploaded_at)::float8 AS age_s FROM incident_photos WHERE id = ${photos[0]!.id}`,
    );
    expect(Number(row!.uploaded_by_user_id)).toBe(users.reporter!.id);
    expect(Math.abs(Number(row!.age_s))).toBeLessThan(60);

    const list = (await (await as('dispatcher', `/api/incidents/${incidentId}/photos`)).json()) as { photos: Photo[] };
    expect(list.photos).toEqual(photos);
  });

  it('serves the original and a metadata-free thumbnail, private, with ETag and nosniff', async () => {
    const { photos } = (await (await as('reporter', `/api/incidents/${incidentId}/photos`)).json()) as { photos: Photo[] };
    const jpeg = photos.find((p) => p.lat !== null)!;
    const full = await as('dispatcher', jpeg.url);
    const bytes = new Uint8Array(await full.arrayBuffer());
    const sha = createHash('sha256').update(bytes).digest('hex');
    expect({
      status: full.status,
      type: full.headers.get('content-type'),
      cache: full.headers.get('cache-control'),
      etag: full.headers.get('etag'),
      nosniff: full.headers.get('x-content-type-options'),
      bytes: bytes.length,
    }).toEqual({ status: 200, type: 'image/jpeg', cache: 'private, max-age=3600', etag: `"${sha}"`, nosniff: 'nosniff', bytes: jpeg.bytes });
    expect((await sharp(bytes).metadata()).exif).toBeDefined();
    const again = await as('dispatcher', jpeg.url, { headers: { 'if-none-match': `"${sha}"` } });
    expect(again.status).toBe(304);

    for (const p of photos) {
      const thumb = await as('reporter', p.thumbUrl);
      expect([thumb.status, thumb.headers.get('content-type'), thumb.headers.get('x-content-type-options')]).toEqual([200, 'image/jpeg', 'nosniff']);
      expect(thumb.headers.get('cache-control')).toMatch(/^private/);
      const meta = await sharp(new Uint8Array(await thumb.arrayBuffer())).metadata();
      expect(meta.format).toBe('jpeg');
      expect(Math.max(meta.width, meta.height)).toBe(320);
      expect(meta.width / meta.height).toBeCloseTo(p.width / p.height, 1);
      expect(meta.exif).toBeUndefined();
    }
  });

  it('refuses a text file named .jpg, and the good photo beside it is not stored either', async () => {
    const before = await stored();
    const fake = new TextEncoder().encode('这不是照片，只是改了扩展名的文本文件。\n'.repeat(50));
    const body = await refused(
      upload(
        'reporter',
        form([
          { name: 'ok.jpg', bytes: await jpegWithGps() },
          { name: '假照片.jpg', bytes: fake },
        ]),
      ),
      422,
      before,
    );
    expect(body.errors).toEqual([{ field: 'files[1]', reason: expect.stringContaining('「假照片.jpg」不是 JPEG、PNG 或 WebP 图片') }]);
  });

  it('refuses a file with the JPEG magic bytes that does not decode', async () => {
    const before = await stored();
    const jpeg = await jpegWithGps();
    const truncated = jpeg.subarray(0, Math.floor(jpeg.length * 0.6));
    const garbage = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, ...new TextEncoder().encode('not really a jpeg at all, just bytes')]);
    const body = await refused(
      upload(
        'reporter',
        form([
          { name: '截断.jpg', bytes: truncated },
          { name: 'magic.jpg', bytes: garbage },
        ]),
      ),
      422,
      before,
    );
    expect(body.errors.map((e) => e.field)).toEqual(['files[0]', 'files[1]']);
    expect(body.errors[0]!.reason).toContain('「截断.jpg」已损坏或不完整');
  });

  it('refuses a photo of 10 MB + 1 byte with 413 naming the file', async () => {
    const before = await stored();
    const big = new Uint8Array(PHOTO_MAX_BYTES + 1);
    big.set(await jpegWithGps());
    const body = await refused(
      upload(
        'reporter',
        form([
          { name: '小.png', bytes: await png() },
          { name: '超大.jpg', bytes: big },
        ]),
      ),
      413,
      before,
    );
    expect(body.title).toBe('照片过大');
    expect(body.errors).toEqual([{ field: 'files[1]', reason: expect.stringMatching(/「超大\.jpg」大小为 10\.0 MB，每张照片不能超过 10 MB/) }]);
  });

  it('refuses 10 files in one request and more than 9 on one step', async () => {
    const before = await stored();
    const one = await webp();
    const ten = Array.from({ length: 10 }, (_, i) => ({ name: `p${i}.webp`, bytes: one }));
    const body = await refused(upload('reporter', form(ten)), 422, before);
    expect(body.errors).toEqual([{ field: 'files', reason: '一次最多上传 9 张照片，本次收到 10 个文件' }]);
    // The report already has 3: 7 more would make 10.
    const more = await refused(upload('reporter', form(ten.slice(0, 7))), 422, before);
    expect(more.errors[0]!.reason).toBe('每个环节最多 9 张照片：已有 3 张，本次 7 张');
    const six = await upload('reporter', form(ten.slice(0, 6)));
    expect(six.status).toBe(201);
    expect((await stored()).n).toBe(before.n + 6);
    await refused(upload('reporter', form(ten.slice(0, 1))), 422, await stored());
  });

  it('refuses an empty request, a form naming time or place, and a body that is not a form', async () => {
    const before = await stored();
    await refused(upload('dispatcher', form([], { transitionId: String(dispatcherStep) })), 400, before);
    const named = await refused(upload('dispatcher', form([{ name: 'a.webp', bytes: await webp() }], { transitionId: String(dispatcherStep), takenAt: '2020-01-01T00:00:00Z', actor: 'someone' })), 400, before);
    expect(named.errors.map((e) => e.field).sort()).toEqual(['actor', 'takenAt']);
    await refused(upload('dispatcher', JSON.stringify({ files: [] }), incidentId, { 'content-type': 'application/json' }), 400, before);
    await refused(upload('dispatcher', form([{ name: 'a.webp', bytes: await webp() }], { transitionId: 'abc' })), 400, before);
  });

  it('only the actor of a step attaches photos to it', async () => {
    const before = await stored();
    const one = [{ name: 'a.webp', bytes: await webp() }];
    // The dispatcher may read the incident but did not report it, nor write the staff's step.
    const notReporter = await refused(upload('dispatcher', form(one)), 403, before);
    expect(notReporter.errors[0]!.field).toBe('transitionId');
    await refused(upload('dispatcher', form(one, { transitionId: String(staffStep) })), 403, before);
    // A step of another incident is not a step of this one.
    const foreign = await refused(upload('reporter', form(one, { transitionId: String(otherIncidentStep) })), 422, before);
    expect(foreign.errors[0]!.field).toBe('transitionId');

    const own = await upload('dispatcher', form(one, { transitionId: String(dispatcherStep) }));
    expect(own.status).toBe(201);
    const staff = await upload('staff', form(one, { transitionId: String(staffStep) }));
    expect(staff.status).toBe(201);
    const { photos } = (await (await as('leader', `/api/incidents/${incidentId}/photos`)).json()) as { photos: Photo[] };
    expect(photos.filter((p) => p.transitionId === dispatcherStep).map((p) => p.uploadedBy.username)).toEqual(['photo-dp']);
    expect(photos.filter((p) => p.transitionId === staffStep).map((p) => p.uploadedBy.username)).toEqual(['photo-ds-a']);
    expect(photos.filter((p) => p.transitionId === null)).toHaveLength(9);
    expect(reportStep).toBeGreaterThan(0);
  });

  it('only readers of the incident see or add photos: another grid, another department, another street are refused', async () => {
    const before = await stored();
    const { photos } = (await (await as('reporter', `/api/incidents/${incidentId}/photos`)).json()) as { photos: Photo[] };
    const photo = photos[0]!;
    for (const who of ['otherGridWorker', 'otherStaff', 'chengxiPlanner']) {
      for (const path of [`/api/incidents/${incidentId}/photos`, photo.url, photo.thumbUrl]) {
        const res = await as(who, path);
        expect({ who, path, status: res.status }).toEqual({ who, path, status: 403 });
        expect(((await res.json()) as Problem).detail).toContain(`无权查看事件 ${incidentId}`);
      }
      await refused(upload(who, form([{ name: 'x.webp', bytes: await webp() }])), 403, before);
    }
    // The department it was dispatched to reads it; leaders read the whole city but add nothing.
    expect((await as('staff', photo.thumbUrl)).status).toBe(200);
    expect((await as('leader', photo.url)).status).toBe(200);
    await refused(upload('leader', form([{ name: 'x.webp', bytes: await webp() }])), 403, before);
    // Unknown incident and photo.
    await refused(upload('reporter', form([{ name: 'x.webp', bytes: await webp() }]), 999_999_999), 404, before);
    expect((await as('reporter', '/api/photos/999999999')).status).toBe(404);
    expect((await as('reporter', `/api/incidents/${otherIncidentId}/photos`)).status).toBe(200);
  });

  it('the upload route has its own body limit (9 × 10 MB and the form), with a Chinese 413', async () => {
    const before = await stored();
    let sent = 0;
    const chunk = new Uint8Array(1024 * 1024);
    const endless = new ReadableStream<Uint8Array>({
      pull(controller) {
        sent += chunk.length;
        if (sent > PHOTOS_BODY_MAX_BYTES + 2 * chunk.length) controller.close();
        else controller.enqueue(chunk);
      },
    });
    const res = as('reporter', `/api/incidents/${incidentId}/photos`, {
      method: 'POST',
      body: endless,
      headers: { 'content-type': 'multipart/form-data; boundary=x' },
      duplex: 'half',
    } as RequestInit);
    const body = await refused(res, 413, before);
    expect(body.errors[0]).toEqual({ field: 'files', reason: '一次最多上传 9 张照片，每张不超过 10 MB（整个请求不超过 91 MB）' });
  });
});
