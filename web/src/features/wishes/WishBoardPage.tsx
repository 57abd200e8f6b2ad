/**
 * 为民红绳 / 微心愿 board of one community (issue 16 point 5): four columns 待认领 /
 * 已认领 / 已完成 / 已确认, each card with only the moves the server allows this user
 * (allowedActions from kernel/wishFlow.ts), a claim for a reporting unit, a note on
 * completion, matching suggestions (same category, nearest first) and, for the
 * community's staff, a form to post.
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { SERVICE_CATEGORIES, type ServiceCategory } from '../../../../kernel/partyService';
import { WISH_KIND_LABELS, WISH_RULES, WISH_STATUS_LABELS, WISH_STATUSES, type WishAction, type WishKind } from '../../../../kernel/wishFlow';
import { useSession } from '../auth/session';
import { actOn, boardKey, fetchBoard, fetchSuggestions, fetchUnits, postWish, type Wish } from './wishesApi';
import './wishes.css';

const DEFAULT_COMMUNITY = '450902005001';

function initialCommunity(jurisdiction: string | null): string {
  const fromUrl = new URLSearchParams(window.location.search).get('community');
  if (fromUrl && /^\d{12}$/.test(fromUrl)) return fromUrl;
  return jurisdiction?.length === 12 ? jurisdiction : DEFAULT_COMMUNITY;
}

export function WishBoardPage() {
  const user = useSession();
  const [community, setCommunity] = useState(() => initialCommunity(user.jurisdictionCode));
  const [draft, setDraft] = useState(community);
  const board = useQuery({ queryKey: boardKey(community), queryFn: () => fetchBoard(community) });
  const units = useQuery({ queryKey: ['wishes', 'units', community], queryFn: () => fetchUnits(community) });
  const choose = () => {
    if (!/^\d{12}$/.test(draft)) return;
    setCommunity(draft);
    window.history.replaceState(null, '', `/wishes?community=${draft}`);
  };
  return (
    <main className="wishes-page">
      <header className="wishes-head">
        <h1>为民红绳 · 微心愿{board.data ? ` — ${board.data.community.name}` : ''}</h1>
        <form
          className="wishes-community"
          onSubmit={(e) => {
            e.preventDefault();
            choose();
          }}
        >
          <label>
            社区编码 <input value={draft} onChange={(e) => setDraft(e.target.value.trim())} inputMode="numeric" maxLength={12} aria-label="社区编码" />
          </label>
          <button type="submit">查看</button>
        </form>
      </header>
      {board.error && <p className="wishes-error">{(board.error as Error).message}</p>}
      {board.data?.mayPost && <PostForm community={community} />}
      {board.data && (
        <div className="wishes-columns">
          {WISH_STATUSES.map((status) => {
            const list = board.data.wishes.filter((w) => w.status === status);
            return (
              <section key={status} className="wishes-column" data-testid={`column-${status}`} aria-label={WISH_STATUS_LABELS[status]}>
                <h2>
                  {WISH_STATUS_LABELS[status]} <span className="wishes-count">{list.length}</span>
                </h2>
                {list.map((w) => (
                  <WishCard key={w.id} wish={w} community={community} units={units.data ?? []} />
                ))}
              </section>
            );
          })}
        </div>
      )}
      {board.isLoading && <p>加载中…</p>}
    </main>
  );
}

function WishCard({ wish, community, units }: { wish: Wish; community: string; units: { id: number; name: string }[] }) {
  const client = useQueryClient();
  const [unitId, setUnitId] = useState<number | ''>('');
  const [note, setNote] = useState('');
  const [showSuggestions, setShowSuggestions] = useState(false);
  const move = useMutation({
    mutationFn: (action: WishAction) =>
      actOn(wish.id, { action, expectedStatus: wish.status, ...(action === 'claim' ? { unitId: unitId === '' ? null : unitId } : {}), ...(action === 'complete' && note ? { note } : {}) }),
    onSettled: () => client.invalidateQueries({ queryKey: boardKey(community) }),
  });
  const suggestions = useQuery({ queryKey: ['wishes', 'suggestions', wish.id], queryFn: () => fetchSuggestions(wish.id), enabled: showSuggestions });
  const can = (a: WishAction) => wish.allowedActions.includes(a);
  return (
    <article className={`wish-card wish-${wish.kind}`} data-testid={`wish-${wish.id}`}>
      <div className="wish-kind">
        {WISH_KIND_LABELS[wish.kind as WishKind]} · {wish.category}
        {wish.incidentId !== null && <span> · 来自事件 #{wish.incidentId}</span>}
      </div>
      <h3>{wish.title}</h3>
      {wish.description && <p className="wish-desc">{wish.description}</p>}
      {wish.claimant && <p className="wish-meta">认领：{wish.claimant}</p>}
      {wish.doneNote && <p className="wish-meta">完成说明：{wish.doneNote}</p>}
      {wish.confirmedBy && <p className="wish-meta">确认：{wish.confirmedBy}</p>}
      {can('claim') && (
        <label className="wish-field">
          认领单位
          <select value={unitId} onChange={(e) => setUnitId(e.target.value === '' ? '' : Number(e.target.value))} aria-label="认领单位">
            <option value="">请选择报到单位</option>
            {units.map((u) => (
              <option key={u.id} value={u.id}>
                {u.name}
              </option>
            ))}
          </select>
        </label>
      )}
      {can('complete') && (
        <label className="wish-field">
          完成说明 <input value={note} onChange={(e) => setNote(e.target.value)} maxLength={500} aria-label="完成说明" />
        </label>
      )}
      <div className="wish-actions">
        {wish.allowedActions.map((a) => (
          <button key={a} type="button" disabled={move.isPending || (a === 'claim' && unitId === '')} onClick={() => move.mutate(a)}>
            {WISH_RULES[a].label}
          </button>
        ))}
        {wish.status === 'open' && (
          <button type="button" className="wish-link" onClick={() => setShowSuggestions((v) => !v)}>
            匹配建议
          </button>
        )}
      </div>
      {move.error && <p className="wishes-error">{(move.error as Error).message}</p>}
      {showSuggestions && (
        <ol className="wish-suggestions" aria-label="匹配建议">
          {suggestions.data?.suggestions.length === 0 && <li>暂无同类资源</li>}
          {suggestions.data?.suggestions.map((s) => (
            <li key={s.resourceId}>
              {s.title}（{s.communityName}，{s.distanceM === null ? '—' : s.distanceM >= 1000 ? `${(s.distanceM / 1000).toFixed(1)} km` : `${s.distanceM} m`}）
            </li>
          ))}
        </ol>
      )}
    </article>
  );
}

function PostForm({ community }: { community: string }) {
  const client = useQueryClient();
  const [kind, setKind] = useState<WishKind>('wish');
  const [title, setTitle] = useState('');
  const [category, setCategory] = useState<ServiceCategory>(SERVICE_CATEGORIES[0]);
  const post = useMutation({
    mutationFn: () => postWish({ communityCode: community, kind, title, category }),
    onSuccess: () => {
      setTitle('');
      return client.invalidateQueries({ queryKey: boardKey(community) });
    },
  });
  return (
    <form
      className="wishes-post"
      onSubmit={(e) => {
        e.preventDefault();
        if (title.trim()) post.mutate();
      }}
    >
      <select value={kind} onChange={(e) => setKind(e.target.value as WishKind)} aria-label="类型">
        <option value="wish">微心愿</option>
        <option value="red_rope">为民红绳</option>
      </select>
      <input value={title} onChange={(e) => setTitle(e.target.value)} placeholder="心愿或需求，如：帮独居老人买药" maxLength={60} aria-label="标题" />
      <select value={category} onChange={(e) => setCategory(e.target.value as ServiceCategory)} aria-label="类别">
        {SERVICE_CATEGORIES.map((c) => (
          <option key={c}>{c}</option>
        ))}
      </select>
      <button type="submit" disabled={post.isPending}>
        发布
      </button>
      {post.error && <span className="wishes-error">{(post.error as Error).message}</span>}
    </form>
  );
}
