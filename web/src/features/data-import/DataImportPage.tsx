/**
 * 数据导入: pick what to import (党组织, 小区, 网格队伍, … — the server's registry), download
 * its template (CSV or xlsx), choose a CSV (UTF-8/GBK) or .xlsx file, see the dry run —
 * every bad row with column and reason — and commit: all rows or none.
 */
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { type Answer, type ApiProblem, api, call } from '../../api/client';
import { errorMessage } from '../../api/queries';
import { Header } from '../header/Header';
import '../party-orgs/party.css';

type Report = Answer<(typeof api.api.imports)[':entity']['$post']>;

async function send(entity: string, file: File, dryRun: boolean): Promise<{ report: Report | null; problem: ApiProblem | null }> {
  // A raw file body (hc sends JSON or forms), at the typed client's own URL of the route.
  const url = api.api.imports[':entity'].$url({ param: { entity }, query: { dryRun: String(dryRun) } });
  const res = await fetch(url.pathname + url.search, { method: 'POST', body: file, headers: { 'Content-Type': 'application/octet-stream' } });
  const body = await res.json();
  if (res.ok) return { report: body as Report, problem: null };
  const problem = body as ApiProblem;
  return { report: (problem.report as Report | undefined) ?? null, problem };
}

export function DataImportPage() {
  const entities = useQuery({ queryKey: ['import-entities'], queryFn: () => call(api.api.imports.$get()) });
  const [entity, setEntity] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const [busy, setBusy] = useState(false);
  const [report, setReport] = useState<Report | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const chosen = entity || entities.data?.[0]?.key || '';
  const spec = entities.data?.find((e) => e.key === chosen);

  async function run(dryRun: boolean) {
    if (!file || !chosen) return;
    setBusy(true);
    setProblem(null);
    try {
      const answer = await send(chosen, file, dryRun);
      setReport(answer.report);
      if (answer.problem) setProblem(answer.problem.detail ? `${answer.problem.title}：${answer.problem.detail}` : answer.problem.title);
    } catch (error) {
      setProblem(errorMessage(error));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="app">
      <Header dataset={undefined} streets={[]} current="/imports" subtitle="党组织、小区、网格队伍导入" />
      <main className="party-page">
        <div className="party-toolbar">
          <label>
            导入对象{' '}
            <select
              value={chosen}
              aria-label="导入对象"
              data-testid="import-entity"
              onChange={(e) => {
                setEntity(e.target.value);
                setReport(null);
              }}
            >
              {(entities.data ?? []).map((e) => (
                <option key={e.key} value={e.key}>
                  {e.label}
                </option>
              ))}
            </select>
          </label>
          {chosen && (
            <>
              <a href={`/api/imports/${chosen}/template?format=xlsx`}>下载 Excel 模板</a>
              <a href={`/api/imports/${chosen}/template?format=csv`}>下载 CSV 模板</a>
            </>
          )}
          <input
            type="file"
            accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            aria-label="选择文件"
            data-testid="import-file"
            onChange={(e) => setFile(e.target.files?.[0] ?? null)}
          />
          <button type="button" disabled={!file || busy} onClick={() => run(true)} data-testid="import-dry-run">
            检查（试运行）
          </button>
          <button type="button" disabled={!file || busy || !report || report.errors.length > 0 || report.committed} onClick={() => run(false)} data-testid="import-commit">
            全部导入
          </button>
          {busy && <span role="status">正在处理…</span>}
        </div>
        {spec && (
          <p className="muted">
            列：
            {spec.columns.map((c) => `${c.header}${c.required ? '*' : ''}`).join('、')}（* 为必填；CSV 可为 UTF-8 或 GBK）
          </p>
        )}
        {problem && (
          <p className="party-error" role="alert" data-testid="import-problem">
            {problem}
          </p>
        )}
        {report && (
          <section aria-label="导入报告" data-testid="import-report">
            <p>
              {report.committed ? `已导入：新增 ${report.inserted} 条，更新 ${report.updated} 条。` : `共 ${report.rows} 行，其中 ${report.valid} 行无误，${report.errors.length} 处错误。`}
              {report.ignoredColumns.length > 0 && <span className="muted">（忽略的列：{report.ignoredColumns.join('、')}）</span>}
            </p>
            {report.errors.length > 0 && (
              <table className="party-table" data-testid="import-errors">
                <thead>
                  <tr>
                    <th>行</th>
                    <th>列</th>
                    <th>原因</th>
                  </tr>
                </thead>
                <tbody>
                  {report.errors.map((e) => (
                    <tr key={`${e.row}-${e.field}-${e.reason}`}>
                      <td>{e.row}</td>
                      <td>{e.field}</td>
                      <td>{e.reason}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>
        )}
      </main>
    </div>
  );
}
