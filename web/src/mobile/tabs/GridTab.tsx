/**
 * 我的网格: the map of my grids with my GPS position (lazy MapLibre chunk), and below it
 * each grid's households, party organisation, grid workers and the neighbouring grids'
 * workers to call (phones masked by the server); 下载离线底图 keeps the tiles of my
 * grids' union bbox (zooms 12–16) for use without a network, with progress, count and size.
 */
import { lazy, Suspense, useState } from 'react';
import { useGeolocation } from '../geo/useGeolocation';
import { downloadTiles, formatBytes, offlinePlan, type Progress } from '../map/offlineTiles';
import { useMyGrids } from '../myGrids';
import { useMobileSession } from '../session';

const GridMap = lazy(() => import('../map/GridMap').then((m) => ({ default: m.GridMap })));

export function GridTab() {
  const user = useMobileSession().data!;
  const { grids, bbox, pending, error } = useMyGrids(user.gridCodes.length > 0);
  const geo = useGeolocation();
  const [progress, setProgress] = useState<Progress | null>(null);
  const [tiles, setTiles] = useState<string | null>(null);
  const downloading = progress !== null && progress.done < progress.total;

  async function download() {
    if (!bbox) return;
    const plan = offlinePlan(bbox);
    setTiles(null);
    const end = await downloadTiles(plan, setProgress);
    const zooms = plan.zooms.length > 0 ? `缩放 ${plan.zooms[0]}–${plan.zooms.at(-1)} 级` : '';
    const left = plan.dropped.length > 0 ? `；范围较大，缩放 ${plan.dropped.join('、')} 级未下载` : '';
    const got = `${end.done - end.failed} 个瓦片，${formatBytes(end.bytes)}`;
    setTiles(end.failed === 0 ? `离线底图已下载：${got}（${zooms}${left}），可在无网络时查看。` : `离线底图下载完成：${got}，${end.failed} 个瓦片失败（可重试）${left}。`);
  }

  return (
    <section className="m-grid-tab">
      <div className="m-map-box">
        <Suspense fallback={<p className="m-status">正在加载地图…</p>}>
          <GridMap grids={grids} position={geo.fix} />
        </Suspense>
      </div>
      <p className="m-muted" data-testid="grid-position">
        {geo.fix ? `我的位置：精度约 ${Math.round(geo.fix.accuracy)} 米` : (geo.error ?? '正在定位…')}
      </p>
      {user.gridCodes.length === 0 && <p className="m-muted">您的账号未绑定网格。</p>}
      {pending && <p className="m-status">正在加载网格…</p>}
      {error && <p className="m-error">{error.message}</p>}
      {grids.map((g) => (
        <article key={g.code} className="m-card" data-testid={`grid-${g.code}`}>
          <strong>{g.name}</strong>
          <span className="m-muted">
            {g.code} · {g.community.name}
          </span>
          <dl className="m-facts">
            <dt>户数</dt>
            <dd>{g.households ?? '—'}</dd>
            <dt>人口</dt>
            <dd>{g.population ?? '—'}</dd>
            <dt>党组织</dt>
            <dd>{g.partyOrg.name ?? '—'}</dd>
            <dt>书记</dt>
            <dd>
              {g.partyOrg.secretary ?? '—'}
              {g.partyOrg.secretaryPhone ? (
                <>
                  {' '}
                  <a href={`tel:${g.partyOrg.secretaryPhone}`}>{g.partyOrg.secretaryPhone}</a>
                </>
              ) : null}
            </dd>
            <dt>党员</dt>
            <dd>{g.partyOrg.members ?? '—'}</dd>
            <dt>网格员</dt>
            <dd>{g.workers.map((w) => (w.self ? `${w.name ?? '我'}（我）` : (w.name ?? '—'))).join('、') || '—'}</dd>
          </dl>
          {g.neighbours.length > 0 && (
            <>
              <h3 className="m-subhead">相邻网格联系人</h3>
              <ul className="m-contacts" data-testid={`neighbours-${g.code}`}>
                {g.neighbours.map((n) => (
                  <li key={n.code}>
                    <span>{n.name}</span>
                    <span className="m-muted">{n.workers.map((w) => `${w.name ?? '—'}${w.phone ? ` ${w.phone}` : ''}`).join('、') || '暂无网格员账号'}</span>
                  </li>
                ))}
              </ul>
            </>
          )}
        </article>
      ))}
      <button type="button" className="m-button" onClick={() => void download()} disabled={!bbox || !navigator.onLine || downloading}>
        下载离线底图
      </button>
      {downloading && (
        <p className="m-muted" role="status" data-testid="tiles-progress">
          <progress max={progress.total} value={progress.done} aria-label="离线底图下载进度" /> 正在下载离线底图 {progress.done}/{progress.total}（{formatBytes(progress.bytes)}）…
        </p>
      )}
      {tiles && (
        <p className="m-muted" role="status" data-testid="tiles-done">
          {tiles}
        </p>
      )}
    </section>
  );
}
