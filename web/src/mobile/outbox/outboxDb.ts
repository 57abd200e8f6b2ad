/**
 * The phone's outbox in IndexedDB (dexie): every write of 网格通 — a report with its
 * photos, a loop action with feedback photos, a visit, patrol points — is stored here
 * first, with the Idempotency-Key made at creation, and sent by sync.ts. Photos are
 * kept as ArrayBuffers with their type (older iOS WebViews could not store Blobs).
 * Sent items stay a day for the 队列 page, then are pruned.
 */
import Dexie, { type EntityTable } from 'dexie';
import type { ItemStatus } from './retry';

export interface StoredPhoto {
  name: string;
  type: string;
  data: ArrayBuffer;
}

export interface ReportBody {
  category: string;
  description: string;
  lon?: number;
  lat?: number;
  gridCode?: string;
  source: 'grid';
  onSpot?: string;
}

export interface ActionBody {
  action: string;
  expectedStage: string;
  /** The last history row the user saw: the server answers 409 when the case changed since. */
  expectedTransitionId?: number;
  note?: string;
}

interface ItemBase {
  id?: number;
  /** Idempotency-Key of the item's first request; its photos use `${key}-photos` (the server takes [A-Za-z0-9_-]{16,100}). */
  key: string;
  /** What the 队列 page shows, e.g. 上报：市容环境·占道经营. */
  title: string;
  createdAt: number;
  status: ItemStatus;
  attempts: number;
  /** Not before this instant (ms) — the backoff. */
  nextAt: number;
  /** Why it is waiting, failed or in conflict. */
  error: string | null;
  sentAt: number | null;
  photos: StoredPhoto[];
  /** Set once the server has the incident (report) or the step (action): a retry sends only what is left. */
  incidentId: number | null;
  transitionId: number | null;
}

export type OutboxItem =
  | (ItemBase & { kind: 'report'; body: ReportBody })
  | (ItemBase & { kind: 'action'; body: ActionBody })
  | (ItemBase & { kind: 'visit'; body: Record<string, unknown> })
  | (ItemBase & { kind: 'patrol'; op: 'start' | 'points' | 'checkin' | 'stop'; patrolKey: string; body: Record<string, unknown> });

/** A patrol started on the phone: its key, and the server's id once the start is sent. */
export interface PatrolRecord {
  key: string;
  serverId: number | null;
  startedAt: number;
  stoppedAt: number | null;
  points: number;
}

export const outboxDb = new Dexie('wanggetong') as Dexie & {
  items: EntityTable<OutboxItem, 'id'>;
  patrols: EntityTable<PatrolRecord, 'key'>;
};
outboxDb.version(1).stores({ items: '++id, key, status, createdAt', patrols: 'key' });

const DAY_MS = 24 * 3600_000;

export type NewItem = OutboxItem extends infer I
  ? I extends OutboxItem
    ? Omit<I, 'id' | 'createdAt' | 'status' | 'attempts' | 'nextAt' | 'error' | 'sentAt' | 'incidentId' | 'transitionId'> & { incidentId?: number | null }
    : never
  : never;

export async function enqueue(item: NewItem): Promise<number> {
  const now = Date.now();
  return (await outboxDb.items.add({ incidentId: null, transitionId: null, ...item, createdAt: now, status: 'pending', attempts: 0, nextAt: 0, error: null, sentAt: null } as OutboxItem)) as number;
}

export async function pruneSent(now = Date.now()): Promise<void> {
  await outboxDb.items
    .where('status')
    .equals('sent')
    .filter((i) => (i.sentAt ?? 0) < now - DAY_MS)
    .delete();
}

export async function photoOf(file: File): Promise<StoredPhoto> {
  return { name: file.name, type: file.type || 'image/jpeg', data: await file.arrayBuffer() };
}
