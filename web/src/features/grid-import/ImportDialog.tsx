/**
 * 导入网格 dialog (editor page): pick a GeoJSON / Shapefile zip / GeoPackage,
 * optionally name the source fields for code, name, households, population, party
 * organisation and grid workers, run the server's dry run,
 * read the report (errors block, gaps warn; each issue can be located on the map),
 * then commit exactly that file — all or nothing, every grid versioned.
 */
import { useRef, useState } from 'react';
import { ISSUE_LABELS, issueText, reportSummary, sortedIssues } from './importIssues';
import { MAPPED_ATTRIBUTES, type MappedAttribute, uploadImport, type ImportOutcome } from './importRequest';
import '../export/exportDialog.css';
import './importDialog.css';

export interface ImportDialogProps {
  onClose: () => void;
  /** Called after a successful commit (refresh tiles and cached grids). */
  onImported: () => void;
  /** Show a place on the map. */
  onLocate: (lonLat: [number, number]) => void;
}

const ACCEPT = '.geojson,.json,.zip,.gpkg';

export function ImportDialog({ onClose, onImported, onLocate }: ImportDialogProps) {
  const [file, setFile] = useState<File | null>(null);
  const [codeField, setCodeField] = useState('');
  const [nameField, setNameField] = useState('');
  const [attributeFields, setAttributeFields] = useState<Partial<Record<MappedAttribute, string>>>({});
  const [busy, setBusy] = useState<{ label: string; fraction: number } | null>(null);
  const [outcome, setOutcome] = useState<ImportOutcome | null>(null);
  /** The dry run that may be committed: same file and mapping, no errors. */
  const [checked, setChecked] = useState<{ file: File; mapping: string } | null>(null);
  const mappingKey = JSON.stringify([codeField, nameField, MAPPED_ATTRIBUTES.map((a) => attributeFields[a.key] ?? '')]);
  const abort = useRef<AbortController | null>(null);

  const run = async (dryRun: boolean) => {
    if (!file) return;
    const controller = new AbortController();
    abort.current = controller;
    setBusy({ label: dryRun ? '正在上传并检查' : '正在导入', fraction: 0 });
    const result = await uploadImport(file, { dryRun, codeField, nameField, attributeFields }, (fraction) => setBusy((b) => (b ? { ...b, fraction } : b)), controller.signal);
    setBusy(null);
    setOutcome(result);
    const ok = result.kind === 'report' && result.report.errors === 0;
    setChecked(dryRun && ok ? { file, mapping: mappingKey } : null);
    if (!dryRun && ok && result.report.committed) onImported();
  };

  const canCommit = !!checked && checked.file === file && checked.mapping === mappingKey && !busy;
  const report = outcome?.kind === 'report' ? outcome.report : null;

  return (
    <div className="export-dialog import-dialog" role="dialog" aria-modal="true" aria-labelledby="import-dialog-title" data-testid="import-dialog">
      <h2 id="import-dialog-title">导入网格</h2>
      <p className="muted">支持 GeoJSON、Shapefile（zip，含 .prj）和 GeoPackage；坐标系从文件中识别。先检查，检查通过后再确认导入，导入是全部成功或全部不写入。</p>
      <label>
        文件
        <input
          type="file"
          accept={ACCEPT}
          disabled={!!busy}
          onChange={(e) => {
            setFile(e.target.files?.[0] ?? null);
            setOutcome(null);
            setChecked(null);
          }}
        />
      </label>
      <fieldset>
        <legend>字段对应（留空则自动识别 code / 网格编码 / WGBM、户数、人口、党组织、网格员等）</legend>
        <label>
          编码字段
          <input value={codeField} onChange={(e) => setCodeField(e.target.value)} placeholder="如 WGBM" disabled={!!busy} />
        </label>
        <label>
          名称字段
          <input value={nameField} onChange={(e) => setNameField(e.target.value)} placeholder="如 WGMC" disabled={!!busy} />
        </label>
        {MAPPED_ATTRIBUTES.map((a) => (
          <label key={a.key}>
            {a.label}
            <input value={attributeFields[a.key] ?? ''} onChange={(e) => setAttributeFields((f) => ({ ...f, [a.key]: e.target.value }))} placeholder={a.placeholder} disabled={!!busy} />
          </label>
        ))}
      </fieldset>

      {busy && (
        <div className="export-progress" role="status">
          <progress max={1} value={busy.fraction < 1 ? busy.fraction : undefined} />
          <span>{busy.fraction < 1 ? `${busy.label}：已上传 ${Math.round(busy.fraction * 100)}%` : `${busy.label}：服务器正在校验…`}</span>
        </div>
      )}

      {outcome?.kind === 'failed' && (
        <div role="alert" className="error-message" data-testid="import-failed">
          <p>{outcome.message}</p>
          {outcome.fields.length > 0 && (
            <ul>
              {outcome.fields.map((f, i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: positional — one field can have several reasons, the entries have no id and the list is only ever replaced whole
                <li key={i}>
                  {f.field}：{f.reason}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}

      {report && (
        <section className="import-report" data-testid="import-report">
          <p className={report.errors > 0 ? 'error-message' : undefined} role="status" data-testid="import-summary">
            {reportSummary(report)}
          </p>
          <p className="muted">
            格式 {report.format}，坐标系 {report.crs.name}
            {report.crs.epsg ? `（EPSG:${report.crs.epsg}）` : ''}，来源：{report.crs.source}
          </p>
          {report.issues.length > 0 && (
            <ol className="import-issues" data-testid="import-issues">
              {sortedIssues(report.issues).map((issue, k) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: positional — issues have no id (several gaps or overlaps can share code and kind) and each report replaces the list whole
                <li key={k} className={`import-issue ${issue.severity}`}>
                  <strong>
                    {issue.severity === 'error' ? '错误' : '提醒'} · {ISSUE_LABELS[issue.kind]}
                  </strong>{' '}
                  {issueText(issue)}
                  {issue.location && (
                    <button type="button" className="text-button" onClick={() => onLocate(issue.location!)}>
                      定位
                    </button>
                  )}
                </li>
              ))}
            </ol>
          )}
        </section>
      )}

      <div className="export-actions">
        {busy ? (
          <button type="button" onClick={() => abort.current?.abort()}>
            取消
          </button>
        ) : (
          <>
            <button type="button" onClick={() => void run(true)} disabled={!file} data-testid="import-check">
              检查（不写入）
            </button>
            <button type="button" className="editor-primary" onClick={() => void run(false)} disabled={!canCommit} data-testid="import-commit">
              确认导入
            </button>
          </>
        )}
        <button type="button" onClick={onClose} disabled={!!busy}>
          关闭
        </button>
      </div>
    </div>
  );
}
