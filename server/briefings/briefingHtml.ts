/**
 * Why: the 月报's layout is an HTML page (printed to PDF by Chromium,
 * server/briefings/briefingPdf.ts): A4, Noto CJK fonts installed on the server
 * (fonts-noto-cjk), so Chromium embeds their subsets in the PDF. Every text from the
 * database is escaped.
 */
import type { BriefingData, KpiLine } from './briefingData';

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

export function formatKpi(kind: KpiLine['kind'], v: number | null): string {
  if (v === null) return '—';
  return kind === 'rate' ? `${(v * 100).toFixed(1)}%` : String(v);
}

function change(kind: KpiLine['kind'], v: number | null, p: number | null): string {
  if (v === null || p === null) return '—';
  const d = v - p;
  const sign = d > 0 ? '↑' : d < 0 ? '↓' : '持平';
  if (d === 0) return sign;
  return kind === 'rate' ? `${sign} ${(Math.abs(d) * 100).toFixed(1)} 个百分点` : `${sign} ${Math.abs(d)}`;
}

const pct = (v: number | null) => (v === null ? '—' : `${(v * 100).toFixed(1)}%`);
const cst = (iso: string) => new Date(Date.parse(iso) + 8 * 3600_000).toISOString().slice(0, 10);

function mapSvg(d: BriefingData): string {
  const max = Math.max(1, d.map.maxCount);
  const shade = (n: number) => (n === 0 ? '#f4f1ea' : `rgba(200, 16, 46, ${(0.15 + 0.7 * (n / max)).toFixed(2)})`);
  const [, , w] = d.map.viewBox.split(' ').map(Number);
  const r = (w ?? 0.01) / 250;
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="${d.map.viewBox}" preserveAspectRatio="xMidYMid meet" class="map">
    ${d.map.grids.map((g) => `<path d="${esc(g.path)}" fill="${shade(g.count)}" stroke="#8a7f70" stroke-width="${(r / 3).toFixed(7)}"/>`).join('')}
    ${d.map.points.map((p) => `<circle cx="${p.x.toFixed(6)}" cy="${p.y.toFixed(6)}" r="${r.toFixed(7)}" fill="#1b3a6b" fill-opacity="0.6"/>`).join('')}
  </svg>`;
}

export function briefingTitle(d: Pick<BriefingData, 'region' | 'month'>): string {
  const [y, m] = d.month.split('-');
  return `${d.region.name} ${y}年${Number(m)}月 党建网格工作月报`;
}

export function briefingHtml(d: BriefingData, generatedAt: Date): string {
  const kpiRows = d.summary.kpis
    .map((k) => `<tr><td>${esc(k.name)}</td><td class="n">${formatKpi(k.kind, k.value)}</td><td class="n">${formatKpi(k.kind, k.previous)}</td><td class="n">${change(k.kind, k.value, k.previous)}</td></tr>`)
    .join('');
  const catRows = d.categories.length
    ? d.categories.map((c, i) => `<tr><td>${i + 1}</td><td>${esc(c.name)}</td><td class="n">${c.count}</td><td class="n">${c.previous}</td></tr>`).join('')
    : '<tr><td colspan="4">本月无事件</td></tr>';
  const overdueRows = d.overdue.length
    ? d.overdue.map((o) => `<tr><td>${o.id}</td><td>${esc(o.category)}</td><td>${esc(o.grid)}</td><td>${cst(o.deadline)}</td><td class="n">${o.daysOver}</td></tr>`).join('')
    : '<tr><td colspan="5">本月无超期未结事件</td></tr>';
  const covRows = d.summary.coverage
    .map((c) => {
      const before = d.previousCoverage ? (d.previousCoverage[c.code] ?? null) : null;
      const delta = before === null || c.share === null ? (d.previousCoverage ? '新增' : '—') : change('rate', c.share, before);
      return `<tr><td>${esc(c.name)}</td><td class="n">${c.households}</td><td class="n">${c.covered}</td><td class="n">${pct(c.share)}</td><td class="n">${delta}</td></tr>`;
    })
    .join('');
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>${esc(briefingTitle(d))}</title>
<style>
  @page { size: A4; margin: 16mm 14mm; }
  body { font-family: 'Noto Sans CJK SC', 'Noto Serif CJK SC', sans-serif; color: #222; font-size: 10.5pt; }
  h1 { font-family: 'Noto Serif CJK SC', serif; color: #b0121f; font-size: 18pt; margin: 0 0 2mm; }
  h2 { font-size: 12.5pt; border-left: 4px solid #b0121f; padding-left: 6px; margin: 6mm 0 2mm; }
  .meta { color: #666; font-size: 9pt; }
  table { width: 100%; border-collapse: collapse; margin-top: 1mm; }
  th, td { border: 1px solid #ccc; padding: 3px 6px; text-align: left; }
  th { background: #f6eeee; }
  td.n { text-align: right; font-variant-numeric: tabular-nums; }
  .map { width: 100%; height: 90mm; border: 1px solid #ddd; background: #fff; }
  .note { color: #666; font-size: 8.5pt; }
  .page-break { page-break-before: always; }
</style></head><body>
<h1>${esc(briefingTitle(d))}</h1>
<div class="meta">区域：${esc(d.path.map((p) => p.name).join(' / '))}（${esc(d.region.code)}）　统计期：${d.month}（环比 ${d.previousMonth}）　生成时间：${esc(generatedAt.toISOString().replace('T', ' ').slice(0, 16))} UTC</div>
<h2>一、事件分布图</h2>
${mapSvg(d)}
<div class="note">网格按本月上报事件数着色（颜色越深越多，最多 ${d.map.maxCount} 件），圆点为本月事件位置。</div>
<h2>二、闭环指标（环比）</h2>
<table><thead><tr><th>指标</th><th>${d.month}</th><th>${d.previousMonth}</th><th>环比变化</th></tr></thead><tbody>${kpiRows}</tbody></table>
<div class="note">口径与指标看板一致：结案率 = 结案 ÷ (应结案 − 缓办)；按期结案按工作日计算期限；网格内解决率 = 网格层级办结 ÷ 结案。</div>
<h2>三、事件类别前列</h2>
<table><thead><tr><th>#</th><th>类别</th><th>本月（件）</th><th>上月（件）</th></tr></thead><tbody>${catRows}</tbody></table>
<h2 class="page-break">四、超期未结事件（共 ${d.overdueTotal} 件${d.overdueTotal > d.overdue.length ? `，列出最早到期的 ${d.overdue.length} 件` : ''}）</h2>
<table><thead><tr><th>事件编号</th><th>类别</th><th>网格</th><th>期限</th><th>超期天数（至月末）</th></tr></thead><tbody>${overdueRows}</tbody></table>
<h2>五、15分钟服务圈覆盖变化</h2>
<table><thead><tr><th>下级区域</th><th>户数</th><th>覆盖户数</th><th>覆盖率</th><th>较上月月报</th></tr></thead><tbody>${covRows}</tbody></table>
<div class="note">${d.previousCoverage ? `与 ${d.previousMonth} 月报所载覆盖率比较。` : `${d.previousMonth} 无月报记录，暂无比较。`}</div>
</body></html>`;
}
