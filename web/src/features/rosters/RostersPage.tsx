/**
 * 网格队伍: a grid's organisation chain, roster (网格长, 专职/兼职网格员, 网格指导员, 楼栋长 —
 * names and phones as the reader's role allows), its 1+1带N pairs, photo upload for
 * editors, and the 民情联系卡 (A6 print stylesheet) with what the roster marks 公开 and
 * the QR code of the grid's public page /g/<code>.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import QRCode from 'qrcode';
import { useEffect, useMemo, useState } from 'react';
import { ROSTER_ROLE_LABELS } from '../../../../kernel/rosterRoles';
import { api, call } from '../../api/client';
import { errorMessage, useRegionTree } from '../../api/queries';
import { Header } from '../header/Header';
import { regionsAt } from '../party-orgs/PartyOrgsPage';
import '../party-orgs/party.css';
import './rosters.css';

function ContactCard({ code }: { code: string }) {
  const pub = useQuery({ queryKey: ['public-grid', code], queryFn: () => call(api.api.public.grids[':code'].$get({ param: { code } })) });
  const [qr, setQr] = useState<string | null>(null);
  const url = `${window.location.origin}/g/${code}`;
  useEffect(() => {
    let live = true;
    QRCode.toDataURL(url, { margin: 1, width: 240 }).then((data) => live && setQr(data));
    return () => {
      live = false;
    };
  }, [url]);
  if (!pub.data) return <p className="muted">{pub.isError ? errorMessage(pub.error) : '正在生成联系卡…'}</p>;
  const g = pub.data;
  return (
    <article className="contact-card" data-testid="contact-card">
      <header>
        <h3>民情联系卡</h3>
        <div>
          {g.grid.communityName} · {g.grid.name}
        </div>
        {g.organisation && <div className="muted">{g.organisation}</div>}
      </header>
      <ul>
        {g.roster.map((r) => (
          <li key={r.id}>
            {r.hasPhoto ? <img src={`/api/public/grids/${code}/roster/${r.id}/photo`} alt={r.name ?? ''} /> : <span className="card-photo-none" aria-hidden="true" />}
            <div>
              <strong>{r.name}</strong> <span className="card-role">{ROSTER_ROLE_LABELS[r.role]}</span>
              {r.phone && <div>☎ {r.phone}</div>}
              {r.duties && <div className="card-duties">{r.duties}</div>}
            </div>
          </li>
        ))}
      </ul>
      <footer>
        {qr && <img className="card-qr" src={qr} alt={`网格公开页二维码 ${url}`} data-testid="card-qr" />}
        <span>扫码查看本网格联系人</span>
      </footer>
    </article>
  );
}

export function RostersPage() {
  const regions = useRegionTree();
  const communities = useMemo(() => regionsAt(regions.data ?? [], 'community'), [regions.data]);
  const params = new URLSearchParams(window.location.search);
  const [community, setCommunity] = useState(params.get('grid')?.slice(0, 12) ?? '');
  const [seq, setSeq] = useState(params.get('grid')?.slice(12) ?? '001');
  const chosen = community || communities[0]?.code || '';
  const count = communities.find((c) => c.code === chosen)?.gridCount ?? 0;
  const code = chosen ? `${chosen}${seq}` : '';
  const people = useQuery({ queryKey: ['grid-people', code], enabled: code.length === 15, queryFn: () => call(api.api.party.grids[':code'].people.$get({ param: { code } })) });
  const client = useQueryClient();
  const [uploadError, setUploadError] = useState<string | null>(null);

  async function upload(id: number, file: File) {
    setUploadError(null);
    // A raw file body (hc sends JSON or forms), at the typed client's own URL of the route.
    const res = await fetch(api.api.party.roster[':id'].photo.$url({ param: { id: String(id) } }).pathname, { method: 'PUT', body: file, headers: { 'Content-Type': 'application/octet-stream' } });
    if (!res.ok) setUploadError(((await res.json()) as { detail?: string }).detail ?? '上传失败');
    await client.invalidateQueries({ queryKey: ['grid-people', code] });
    await client.invalidateQueries({ queryKey: ['public-grid', code] });
  }

  return (
    <div className="app">
      <Header dataset={undefined} streets={[]} current="/rosters" subtitle="网格队伍与民情联系卡" />
      <main className="party-page">
        <div className="party-toolbar no-print">
          <label>
            社区{' '}
            <select
              value={chosen}
              onChange={(e) => {
                setCommunity(e.target.value);
                setSeq('001');
              }}
              aria-label="选择社区"
            >
              {communities.map((c) => (
                <option key={c.code} value={c.code}>
                  {c.name}
                </option>
              ))}
            </select>
          </label>
          <label>
            网格{' '}
            <select value={seq} onChange={(e) => setSeq(e.target.value)} aria-label="选择网格">
              {Array.from({ length: count }, (_, k) => String(k + 1).padStart(3, '0')).map((s) => (
                <option key={s} value={s}>
                  第{Number(s)}网格
                </option>
              ))}
            </select>
          </label>
          <button type="button" onClick={() => window.print()}>
            打印民情联系卡（A6）
          </button>
          <a href={`/g/${code}`} target="_blank" rel="noreferrer">
            公开页
          </a>
        </div>
        <div className="no-print">
          {people.isPending ? (
            <p className="muted">正在加载…</p>
          ) : people.isError ? (
            <p className="party-error">{errorMessage(people.error)}</p>
          ) : (
            <>
              <h2>党组织</h2>
              <p>
                {people.data.organisations.map((o) => (
                  <span key={o.id}>
                    <span className="org-kind">{o.kind}</span>
                    {o.name}{' '}
                  </span>
                ))}
              </p>
              <h2>网格队伍</h2>
              {people.data.personalDataWithheld && <p className="muted">当前角色无权查看本网格人员姓名和电话</p>}
              {uploadError && <p className="party-error">{uploadError}</p>}
              <table className="party-table" data-testid="roster">
                <thead>
                  <tr>
                    <th>岗位</th>
                    <th>姓名</th>
                    <th>电话</th>
                    <th>职责</th>
                    <th>党员</th>
                    <th>账号</th>
                    <th>公开</th>
                    <th>照片</th>
                  </tr>
                </thead>
                <tbody>
                  {people.data.roster.map((r) => (
                    <tr key={r.id}>
                      <td>{ROSTER_ROLE_LABELS[r.role]}</td>
                      <td>{r.name ?? '无权查看'}</td>
                      <td>{r.phone ?? '—'}</td>
                      <td>{r.duties ?? '—'}</td>
                      <td>{r.partyMember ? '是' : '否'}</td>
                      <td>{r.username ?? '—'}</td>
                      <td>{r.publicFields.join('、')}</td>
                      <td>
                        {r.hasPhoto ? '有' : '无'}{' '}
                        <input type="file" accept="image/jpeg,image/png,image/webp" aria-label={`上传照片 ${r.name ?? r.id}`} onChange={(e) => e.target.files?.[0] && upload(r.id, e.target.files[0])} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
              <h2>1+1带N</h2>
              <table className="party-table" data-testid="pairs">
                <thead>
                  <tr>
                    <th>党员</th>
                    <th>电话</th>
                    <th>网格员</th>
                    <th>联系户数</th>
                  </tr>
                </thead>
                <tbody>
                  {people.data.pairs.map((p) => (
                    <tr key={p.id}>
                      <td>{p.memberName ?? '无权查看'}</td>
                      <td>{p.memberPhone ?? '—'}</td>
                      <td>{p.workerName ?? '无权查看'}</td>
                      <td>{p.households} 户</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </>
          )}
        </div>
        {code.length === 15 && <ContactCard code={code} />}
      </main>
    </div>
  );
}
