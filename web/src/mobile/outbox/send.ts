/**
 * Sends one outbox item, step by step, each request carrying its Idempotency-Key so
 * that a retry after a cut connection (the server did the work, the answer was lost)
 * gets the first answer again instead of a second incident. What the server already
 * has is remembered on the item (incidentId, transitionId), so a retry sends only what
 * is left. Throws ApiError (status 0 for no answer) for sync.ts to judge.
 */
import { type Answer, ApiError, type ApiProblem, api } from '../../api/client';
import { outboxDb, type OutboxItem, type StoredPhoto } from './outboxDb';

type Reported = Answer<typeof api.api.incidents.$post>;
type Acted = Answer<(typeof api.api.incidents)[':id']['actions']['$post']>;

/**
 * What the 队列 shows for a refusal: the fields' reasons of a validation error; for a 409
 * the server's sentence of what changed (该案件已改派给 …), not its technical field
 * (expectedTransitionId: the latest history row).
 */
const problemText = (p: Partial<ApiProblem>, status: number) => (status !== 409 && p.errors?.length ? p.errors.map((e) => `${e.field}：${e.reason}`).join('；') : (p.detail ?? p.title ?? ''));

/** One request; JSON answer or ApiError (status 0 = no answer). */
export async function send<T>(path: string, key: string, body: BodyInit, json: boolean): Promise<T> {
  let res: Response;
  try {
    res = await fetch(path, { method: 'POST', credentials: 'same-origin', headers: { 'Idempotency-Key': key, ...(json ? { 'Content-Type': 'application/json' } : {}) }, body });
  } catch {
    throw new ApiError({ title: '网络错误', status: 0, detail: '网络不可用或连接中断，恢复后自动重发' });
  }
  const answer = (await res.json().catch(() => null)) as (T & Partial<ApiProblem>) | null;
  if (!res.ok) {
    const p: Partial<ApiProblem> = answer ?? {};
    throw new ApiError({ ...p, title: p.title ?? `请求失败（${res.status}）`, status: res.status, detail: problemText(p, res.status) });
  }
  if (answer === null) throw new ApiError({ title: '网络错误', status: 0, detail: '服务器的回答不完整，将重发' });
  return answer;
}

const formOf = (photos: StoredPhoto[], transitionId: number | null) => {
  const form = new FormData();
  for (const p of photos) form.append('files', new Blob([p.data], { type: p.type }), p.name);
  if (transitionId !== null) form.append('transitionId', String(transitionId));
  return form;
};

const photosPath = (incidentId: number) => api.api.incidents[':id'].photos.$url({ param: { id: String(incidentId) } }).pathname;

async function sendPhotos(item: OutboxItem, incidentId: number, transitionId: number | null) {
  if (item.photos.length === 0) return;
  await send(photosPath(incidentId), `${item.key}-photos`, formOf(item.photos, transitionId), false);
}

/** Patrol writes name the server's patrol id, known once its start was sent. */
async function patrolId(patrolKey: string): Promise<number> {
  const record = await outboxDb.patrols.get(patrolKey);
  if (record?.serverId) return record.serverId;
  const start = await outboxDb.items.filter((i) => i.kind === 'patrol' && i.op === 'start' && i.patrolKey === patrolKey).first();
  if (start && (start.status === 'pending' || start.status === 'sending')) throw new ApiError({ title: '等待中', status: 0, detail: '巡查开始记录尚未发送' });
  throw new ApiError({ title: '无法发送', status: 422, detail: '这次巡查的开始记录未被服务器接受，轨迹无法归属' });
}

export async function sendItem(item: OutboxItem): Promise<void> {
  const id = item.id!;
  switch (item.kind) {
    case 'report': {
      let incidentId = item.incidentId;
      if (incidentId === null) {
        const created = await send<Reported>(api.api.incidents.$url().pathname, item.key, JSON.stringify(item.body), true);
        incidentId = created.id;
        await outboxDb.items.update(id, { incidentId });
      }
      await sendPhotos(item, incidentId, null);
      return;
    }
    case 'action': {
      const incidentId = item.incidentId!;
      let transitionId = item.transitionId;
      if (transitionId === null) {
        const path = api.api.incidents[':id'].actions.$url({ param: { id: String(incidentId) } }).pathname;
        const acted = await send<Acted>(path, item.key, JSON.stringify(item.body), true);
        transitionId = acted.transitionId;
        await outboxDb.items.update(id, { transitionId });
      }
      await sendPhotos(item, incidentId, transitionId);
      return;
    }
    case 'visit':
      await send('/api/visits', item.key, JSON.stringify(item.body), true);
      return;
    case 'patrol': {
      if (item.op === 'start') {
        const started = await send<{ id?: number; patrol?: { id: number } }>('/api/patrols', item.key, JSON.stringify(item.body), true);
        const serverId = started.patrol?.id ?? started.id ?? null;
        await outboxDb.patrols.update(item.patrolKey, { serverId });
        return;
      }
      const pid = await patrolId(item.patrolKey);
      await send(`/api/patrols/${pid}/${item.op === 'points' ? 'points' : item.op === 'checkin' ? 'checkins' : 'stop'}`, item.key, JSON.stringify(item.body), true);
      return;
    }
  }
}
