/**
 * Why: 月报 are read as PDFs. The page lists the reports the schedule (and people)
 * generated, downloads them, and generates one on demand with its progress shown
 * (the server renders in the background; the row's status is polled).
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useMemo, useState } from 'react';
import { api, call } from '../../api/client';
import { useRegionTree } from '../../api/queries';
import type { RegionNode } from '../../api/client';
import { useSession } from '../auth/session';
import './briefings.css';

const STATUS: Record<string, string> = { generating: '生成中…', ready: '已生成', failed: '生成失败' };
const GENERATORS = ['leader', 'analyst', 'admin'];

function lastMonth(): string {
  const d = new Date(Date.now() + 8 * 3600_000);
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() - 1);
  return d.toISOString().slice(0, 7);
}

function regionsOf(tree: RegionNode[] | undefined): { code: string; name: string }[] {
  const out: { code: string; name: string }[] = [];
  const walk = (n: RegionNode, prefix: string) => {
    if (n.level === 'district' || n.level === 'street') out.push({ code: n.code, name: `${prefix}${n.name}` });
    if (n.level !== 'street') for (const c of n.children) walk(c, n.level === 'district' ? `${n.name} / ` : prefix);
  };
  for (const n of tree ?? []) walk(n, '');
  return out;
}

export function BriefingsPage() {
  const user = useSession();
  const client = useQueryClient();
  const tree = useRegionTree();
  const regions = useMemo(() => regionsOf(tree.data), [tree.data]);
  const [region, setRegion] = useState('');
  const [month, setMonth] = useState(lastMonth());
  const [regenerate, setRegenerate] = useState(false);
  const list = useQuery({
    queryKey: ['briefings'],
    queryFn: () => call(api.api.briefings.$get({ query: {} })),
    // Poll while any report is being generated (progress).
    refetchInterval: (q) => (q.state.data?.briefings.some((b) => b.status === 'generating') ? 1500 : false),
  });
  const generate = useMutation({
    mutationFn: () => call(api.api.briefings.$post({ json: { region: region || regions[0]!.code, month, regenerate } })),
    onSuccess: () => client.invalidateQueries({ queryKey: ['briefings'] }),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    generate.mutate();
  };
  const generating = list.data?.briefings.filter((b) => b.status === 'generating') ?? [];

  return (
    <main className="briefings-page">
      <header className="briefings-header">
        <h1>月报</h1>
        <a href="/">返回地图</a>
      </header>
      <p className="muted">每月 1 日自动生成上月各县区、街道的月报（PDF，含事件分布图、闭环指标环比、类别前列、超期未结清单和服务圈覆盖变化）；启动时补齐缺失的月份。</p>
      {GENERATORS.includes(user.role) && (
        <form className="briefings-form" onSubmit={submit}>
          <label>
            区域
            <select value={region} onChange={(e) => setRegion(e.target.value)} data-testid="briefing-region">
              {regions.map((r) => (
                <option key={r.code} value={r.code}>
                  {r.name}
                </option>
              ))}
            </select>
          </label>
          <label>
            月份
            <input type="month" value={month} max={lastMonth()} onChange={(e) => setMonth(e.target.value)} required />
          </label>
          <label className="inline">
            <input type="checkbox" checked={regenerate} onChange={(e) => setRegenerate(e.target.checked)} /> 重新生成
          </label>
          <button type="submit" disabled={generate.isPending || regions.length === 0}>
            {generate.isPending ? '提交中…' : '生成月报'}
          </button>
        </form>
      )}
      {generate.error && (
        <p role="alert" className="briefings-error">
          {(generate.error as Error).message}
        </p>
      )}
      {generating.length > 0 && (
        <p role="status" className="briefings-progress">
          <progress /> 正在生成 {generating.map((b) => `${b.regionName} ${b.month}`).join('、')}（由服务器的无头浏览器排版打印，约需数秒至数十秒）
        </p>
      )}
      {list.error && <p role="alert">{(list.error as Error).message}</p>}
      <table className="briefings-table" data-testid="briefings">
        <thead>
          <tr>
            <th>月份</th>
            <th>区域</th>
            <th>状态</th>
            <th>大小</th>
            <th>生成</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {list.data?.briefings.length === 0 && (
            <tr>
              <td colSpan={6}>尚无月报</td>
            </tr>
          )}
          {list.data?.briefings.map((b) => (
            <tr key={b.id}>
              <td>{b.month}</td>
              <td>{b.regionName}</td>
              <td title={b.error ?? undefined}>
                {STATUS[b.status]}
                {b.status === 'failed' && b.error ? `：${b.error}` : ''}
              </td>
              <td>{b.bytes ? `${Math.round(b.bytes / 1024)} KB` : '—'}</td>
              <td>
                {b.requestedBy === 'schedule' ? '定时' : b.requestedBy} · {new Date(b.finishedAt ?? b.startedAt).toLocaleString('zh-CN', { hour12: false })}
              </td>
              <td>
                {b.status === 'ready' && (
                  <a href={`/api/briefings/${b.id}/pdf`} download>
                    下载 PDF
                  </a>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </main>
  );
}
