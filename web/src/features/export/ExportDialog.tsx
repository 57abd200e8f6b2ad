/**
 * 数据导出 dialog (opened from the header's 数据导出 for analysts and admins): layer,
 * format, CRS, region prefix and (for time-aware layers) a date window; downloads
 * with a progress bar fed by the streamed body and the X-Feature-Count header.
 */
import { useQuery } from '@tanstack/react-query';
import { useRef, useState } from 'react';
import { api, call } from '../../api/client';
import { errorMessage } from '../../api/queries';
import { downloadExport, formatBytes, requestExport, type ExportProgress } from './exportDownload';
import './exportDialog.css';

const CRS_LABELS: Record<string, string> = { '4326': 'WGS 84（EPSG:4326）', '4490': 'CGCS2000（EPSG:4490）', gcj02: 'GCJ-02（国测局坐标）' };

export function ExportDialog({ open, onClose, defaultRegion }: { open: boolean; onClose: () => void; defaultRegion?: string }) {
  const { data, error } = useQuery({
    queryKey: ['exports', 'layers'],
    queryFn: () => call(api.api.exports.layers.$get()),
    enabled: open,
  });
  const [layer, setLayer] = useState('grids');
  const [format, setFormat] = useState('gpkg');
  const [crs, setCrs] = useState('4546');
  const [region, setRegion] = useState(defaultRegion ?? '');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [progress, setProgress] = useState<ExportProgress | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const abort = useRef<AbortController | null>(null);

  if (!open) return null;
  const current = data?.layers.find((l) => l.name === layer);
  const crsWarning = data?.crs.find((c) => c.id === crs)?.warning ?? null;
  const kmlProjected = format === 'kml' && !data?.crs.find((c) => c.id === crs)?.geographic;
  const busy = progress !== null && progress.fraction !== 1;

  async function start() {
    setMessage(null);
    const controller = new AbortController();
    abort.current = controller;
    setProgress({ bytes: 0, total: null, features: null, fraction: null });
    try {
      const choice = { layer, format, crs, region: region || undefined, from: current?.timeFilter ? from || undefined : undefined, to: current?.timeFilter ? to || undefined : undefined };
      const { blob, fileName } = await downloadExport(await requestExport(choice, controller.signal), setProgress);
      const link = document.createElement('a');
      link.href = URL.createObjectURL(blob);
      link.download = fileName;
      link.click();
      setTimeout(() => URL.revokeObjectURL(link.href), 10_000);
      setMessage(`已导出 ${fileName}`);
    } catch (err) {
      setProgress(null);
      setMessage(controller.signal.aborted ? '已取消导出' : err instanceof Error ? err.message : String(err));
    }
  }

  return (
    <div className="export-dialog" role="dialog" aria-modal="true" aria-labelledby="export-dialog-title">
      <h2 id="export-dialog-title">数据导出</h2>
      {error && <p role="alert">图层列表加载失败：{errorMessage(error)}</p>}
      <label>
        图层
        <select value={layer} onChange={(e) => setLayer(e.target.value)} disabled={busy}>
          {data?.layers.map((l) => (
            <option key={l.name} value={l.name}>
              {l.title}
            </option>
          ))}
        </select>
      </label>
      <label>
        格式
        <select value={format} onChange={(e) => setFormat(e.target.value)} disabled={busy}>
          {data?.formats.map((f) => (
            <option key={f.id} value={f.id}>
              {f.title}
            </option>
          ))}
        </select>
      </label>
      <label>
        坐标系
        <select value={crs} onChange={(e) => setCrs(e.target.value)} disabled={busy}>
          {data?.crs.map((c) => (
            <option key={c.id} value={c.id}>
              {CRS_LABELS[c.id] ?? `${c.name}（EPSG:${c.epsg}）`}
            </option>
          ))}
        </select>
      </label>
      <label>
        区划编码前缀
        <input value={region} onChange={(e) => setRegion(e.target.value.replace(/\D/g, '').slice(0, 15))} placeholder="如 450902005（留空为全部）" disabled={busy} />
      </label>
      {current?.timeFilter && (
        <fieldset>
          <legend>上报时间</legend>
          <input type="date" value={from} onChange={(e) => setFrom(e.target.value)} disabled={busy} aria-label="开始日期" />
          至
          <input type="date" value={to} onChange={(e) => setTo(e.target.value)} disabled={busy} aria-label="结束日期（不含）" />
        </fieldset>
      )}
      {crsWarning && (
        <p role="note" className="export-warning">
          {crsWarning}
        </p>
      )}
      {kmlProjected && <p role="alert">KML 只支持经纬度坐标，请选择 WGS 84、CGCS2000 或 GCJ-02。</p>}
      {progress && (
        <div className="export-progress">
          <progress max={1} value={progress.fraction ?? undefined} />
          <span>
            {progress.features !== null ? `${progress.features} 个要素，` : ''}已接收 {formatBytes(progress.bytes)}
            {progress.total ? ` / ${formatBytes(progress.total)}` : ''}
          </span>
        </div>
      )}
      {message && <p>{message}</p>}
      {current && (
        <details>
          <summary>Shapefile 字段名对照</summary>
          <table>
            <tbody>
              {current.fields.map((f) => (
                <tr key={f.name}>
                  <td>{f.title}</td>
                  <td>{f.name}</td>
                  <td>{f.shapefileName}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </details>
      )}
      <div className="export-actions">
        {busy ? (
          <button type="button" onClick={() => abort.current?.abort()}>
            取消
          </button>
        ) : (
          <button type="button" onClick={start} disabled={!data || kmlProjected}>
            导出
          </button>
        )}
        <button type="button" onClick={onClose} disabled={busy}>
          关闭
        </button>
      </div>
    </div>
  );
}
