/**
 * 事件工作台 (/incidents): the closed loop's desk for grid workers, dispatchers and
 * department staff. Tabs by role with counts, the filtered list sorted by remaining
 * time with ticking countdowns, the same list on the map, the open incident with its
 * timeline and allowed actions, reporting from the map, bulk dispatch, keyboard
 * shortcuts, and live refresh from the event stream.
 */
import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useState } from 'react';
import { errorMessage, useConfig } from '../../api/queries';
import { useSession } from '../auth/session';
import { Header } from '../header/Header';
import { useLatest } from '../map/useLatest';
import { BulkDispatchBar } from './BulkDispatchBar';
import { CreateIncidentForm } from './CreateIncidentForm';
import { IncidentDetail } from './IncidentDetail';
import { InboxFilterBar } from './InboxFilterBar';
import { InboxList } from './InboxList';
import { InboxTabs } from './InboxTabs';
import { COMMAND_ACTIONS, commandFor, isField, moveIndex } from './shortcuts';
import { ShortcutHelp } from './ShortcutHelp';
import { type Tab, tabsFor } from './tabs';
import { useLiveRefresh } from './useLiveRefresh';
import { useNow } from './useNow';
import { WorkbenchMap } from './WorkbenchMap';
import { type InboxFilters, NO_FILTERS, PAGE_SIZE, useCounts, useDetail, useInbox, WORKBENCH_KEY } from './workbenchApi';
import './workbench.css';

const LIVE_TITLES = { open: '实时更新已连接', connecting: '正在连接实时更新…', reconnecting: '实时更新已断开，正在重连…' } as const;

export function WorkbenchPage() {
  const user = useSession();
  const config = useConfig();
  const queryClient = useQueryClient();
  const counts = useCounts();
  const tabs = tabsFor(user.role, counts.data);
  const [chosenTab, setTab] = useState<Tab | null>(null);
  const tab = chosenTab && tabs.includes(chosenTab) ? chosenTab : (tabs[0] ?? 'overdue');
  const [filters, setFilters] = useState<InboxFilters>(NO_FILTERS);
  const [page, setPage] = useState(1);
  const inbox = useInbox(tab, filters, page);
  const items = useMemo(() => inbox.data?.items ?? [], [inbox.data]);
  const now = useNow();
  const live = useLiveRefresh();

  const [cursor, setCursor] = useState(-1);
  const [openId, setOpenId] = useState<number | null>(null);
  const [openAction, setOpenAction] = useState<string | null>(null);
  const [checked, setChecked] = useState<ReadonlySet<number>>(new Set());
  const [creating, setCreating] = useState(false);
  const [picked, setPicked] = useState<{ at: [number, number]; grid: string | null } | null>(null);
  const [helpOpen, setHelpOpen] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const detail = useDetail(openId);

  const fitKey = JSON.stringify([tab, filters, page]);
  const changeList = (next: () => void) => {
    next();
    setPage(1);
    setCursor(-1);
    setChecked(new Set());
  };

  // Bulk dispatch where dispatching is the work: the 待派遣 queue of the command centre.
  const bulk = tab === 'to_dispatch' && (user.role === 'dispatcher' || user.role === 'admin');
  const mayReport = user.role === 'grid_worker' || user.role === 'dispatcher' || user.role === 'admin';
  const checkedItems = items.filter((i) => checked.has(i.id));

  const open = (index: number) => {
    const item = items[index];
    if (!item) return;
    setCursor(index);
    setOpenId(item.id);
    setOpenAction(null);
    setCreating(false);
  };
  const openById = (id: number) => {
    const index = items.findIndex((i) => i.id === id);
    if (index >= 0) open(index);
    else {
      setOpenId(id);
      setOpenAction(null);
    }
  };
  const close = () => {
    if (helpOpen) setHelpOpen(false);
    else if (openAction) setOpenAction(null);
    else if (creating) {
      setCreating(false);
      setPicked(null);
    } else setOpenId(null);
  };
  const toggle = (id: number) =>
    setChecked((s) => {
      const next = new Set(s);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  const keys = useLatest({ items, cursor, openId, detail: detail.data, bulk, mayReport, open, close, toggle });
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const command = commandFor({ key: e.key, ctrlKey: e.ctrlKey, metaKey: e.metaKey, altKey: e.altKey, inField: isField(e.target) });
      if (!command) return;
      const k = keys.current;
      // Enter on a focused button or link is that button's own click.
      if (command === 'open' && e.target instanceof HTMLElement && ['BUTTON', 'A'].includes(e.target.tagName)) return;
      switch (command) {
        case 'next':
        case 'previous':
          setCursor(moveIndex(k.cursor, command === 'next' ? 1 : -1, k.items.length));
          break;
        case 'open':
          if (k.cursor >= 0) k.open(k.cursor);
          else return;
          break;
        case 'close':
          k.close();
          break;
        case 'toggleSelect': {
          const item = k.items[k.cursor];
          if (k.bulk && item) k.toggle(item.id);
          break;
        }
        case 'help':
          setHelpOpen((h) => !h);
          break;
        case 'create':
          if (k.mayReport) {
            setCreating(true);
            setOpenId(null);
          }
          break;
        default: {
          const action = COMMAND_ACTIONS[command];
          // A shortcut acts on the open incident, and only when the server allows that action now.
          if (action && k.detail?.allowedActions.some((a) => a.action === action)) setOpenAction(action);
          else return;
        }
      }
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [keys]);

  const total = inbox.data?.total ?? 0;
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  return (
    <div className="app wb-app">
      <Header dataset={config.data?.dataset} streets={[]} current="/incidents" subtitle="事件工作台" />
      <main className={openId !== null || creating ? 'wb-page wb-page-detail' : 'wb-page'}>
        <section className="wb-inbox" aria-label="收件箱">
          <InboxTabs tabs={tabs} current={tab} counts={counts.data} onChange={(t) => changeList(() => setTab(t))} />
          <div className="wb-toolbar">
            {mayReport && (
              <button
                type="button"
                className="wb-primary"
                onClick={() => {
                  setCreating(true);
                  setOpenId(null);
                }}
              >
                上报事件 <kbd>N</kbd>
              </button>
            )}
            <span className="muted" data-testid="inbox-total">
              共 {total} 件
            </span>
            <span className={`wb-live wb-live-${live.status}`} data-testid="live-status" data-status={live.status} title={LIVE_TITLES[live.status]}>
              {live.status === 'open' ? '实时' : '连接中'}
            </span>
            <button type="button" className="wb-link" aria-expanded={helpOpen} onClick={() => setHelpOpen((h) => !h)}>
              快捷键 <kbd>?</kbd>
            </button>
          </div>
          <InboxFilterBar filters={filters} onChange={(f) => changeList(() => setFilters(f))} />
          {bulk && checkedItems.length > 0 && (
            <BulkDispatchBar
              items={checkedItems}
              onDone={(message) => {
                setChecked(new Set());
                setNotice(message);
                void queryClient.invalidateQueries({ queryKey: WORKBENCH_KEY });
              }}
            />
          )}
          {notice && (
            <p className="wb-notice" role="status">
              {notice}
            </p>
          )}
          {inbox.isError ? (
            <p className="error-message" role="alert">
              {errorMessage(inbox.error)}
            </p>
          ) : inbox.isPending ? (
            <p className="muted wb-empty">正在加载…</p>
          ) : (
            <InboxList
              items={items}
              now={now}
              cursor={cursor}
              openId={openId}
              selectable={bulk}
              checked={checked}
              onToggle={toggle}
              onToggleAll={(on) => setChecked(on ? new Set(items.map((i) => i.id)) : new Set())}
              onOpen={open}
            />
          )}
          {pages > 1 && (
            <div className="wb-pager">
              <button type="button" disabled={page <= 1} onClick={() => setPage(page - 1)}>
                上一页
              </button>
              <span>
                {page} / {pages}
              </span>
              <button type="button" disabled={page >= pages} onClick={() => setPage(page + 1)}>
                下一页
              </button>
            </div>
          )}
        </section>
        <section className="wb-map-area">
          {config.data ? (
            <WorkbenchMap
              config={config.data}
              items={items}
              now={now}
              openId={openId}
              picking={creating}
              pickedAt={creating ? (picked?.at ?? null) : null}
              onOpen={openById}
              onPick={(at, grid) => setPicked({ at, grid })}
              fitKey={inbox.isPlaceholderData || inbox.isPending ? '' : fitKey}
            />
          ) : (
            <div className="map-placeholder" role="status">
              {config.isError ? errorMessage(config.error) : '正在加载地图…'}
            </div>
          )}
          {helpOpen && <ShortcutHelp onClose={() => setHelpOpen(false)} />}
        </section>
        {creating ? (
          <aside className="wb-detail" aria-label="上报事件">
            <CreateIncidentForm
              pickedAt={picked?.at ?? null}
              pickedGrid={picked?.grid ?? null}
              onCancel={() => {
                setCreating(false);
                setPicked(null);
              }}
              onCreated={(id) => {
                setCreating(false);
                setPicked(null);
                setNotice(`已上报事件 #${id}`);
                setOpenId(id);
                void queryClient.invalidateQueries({ queryKey: WORKBENCH_KEY });
              }}
            />
          </aside>
        ) : (
          openId !== null && <IncidentDetail key={openId} id={openId} now={now} openAction={openAction} onOpenAction={setOpenAction} onClose={() => setOpenId(null)} />
        )}
      </main>
    </div>
  );
}
