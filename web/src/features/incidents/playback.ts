/**
 * Time playback over the last 12 months: frames are the time-series buckets
 * (weeks by default); the player advances one frame per tick, faster at 2x/4x.
 */
export type PlaybackSpeed = 1 | 2 | 4;
export const SPEEDS: readonly PlaybackSpeed[] = [1, 2, 4];
/** One frame per 800 ms at 1x. */
export const BASE_FRAME_MS = 800;

export interface Frame {
  index: number;
  /** ISO instants, [from, to). */
  from: string;
  to: string;
  count: number;
  label: string;
}

export type Bucket = 'day' | 'week' | 'month';

/** Frames from the server's zero-filled buckets; each frame ends where the next one starts. */
export function framesFromBuckets(buckets: readonly { start: string; count: number }[], bucket: Bucket): Frame[] {
  return buckets.map((b, index) => {
    const next = buckets[index + 1]?.start ?? advance(b.start, bucket);
    return { index, from: b.start, to: next, count: b.count, label: frameLabel(b.start, bucket) };
  });
}

/** The start of the following bucket, in the same +08:00 wall-clock notation. */
export function advance(start: string, bucket: Bucket): string {
  const local = new Date(new Date(start).getTime() + 8 * 3_600_000); // Beijing wall clock in UTC fields
  if (bucket === 'day') local.setUTCDate(local.getUTCDate() + 1);
  else if (bucket === 'week') local.setUTCDate(local.getUTCDate() + 7);
  else local.setUTCMonth(local.getUTCMonth() + 1);
  return `${local.toISOString().slice(0, 19)}+08:00`;
}

export function frameLabel(start: string, bucket: Bucket): string {
  const [y, m, d] = start.slice(0, 10).split('-').map(Number) as [number, number, number];
  if (bucket === 'month') return `${y}年${m}月`;
  if (bucket === 'week') return `${y}年${m}月${d}日起一周`;
  return `${y}年${m}月${d}日`;
}

export function tickMs(speed: PlaybackSpeed): number {
  return BASE_FRAME_MS / speed;
}

/** The next frame while playing; wraps to the start so a loop can run on a big screen. */
export function nextFrame(index: number, frameCount: number): number {
  if (frameCount <= 0) return 0;
  return (index + 1) % frameCount;
}

/** The last 12 months up to `now`, as the playback's outer window (whole Beijing days). */
export function lastTwelveMonths(now: Date): { from: string; to: string } {
  const local = new Date(now.getTime() + 8 * 3_600_000);
  const end = new Date(Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate() + 1));
  const start = new Date(Date.UTC(local.getUTCFullYear() - 1, local.getUTCMonth(), local.getUTCDate() + 1));
  const fmt = (d: Date) => `${d.toISOString().slice(0, 10)}T00:00:00+08:00`;
  return { from: fmt(start), to: fmt(end) };
}
