/**
 * Grid import upload: POST /api/exports/imports with the file as multipart
 * `file`, dry run or commit. XMLHttpRequest rather than fetch because only it
 * reports upload progress (files up to 50 MB). The server answers 200 with the
 * report, 422 with the report when the file has errors (nothing written), and
 * 4xx problem details for unreadable input.
 */
import { api, type Answer, type ApiProblem } from '../../api/client';

/** The report of POST /api/exports/imports, as the server's route types it. */
export type ImportReport = Answer<typeof api.api.exports.imports.$post>;
export type ImportIssue = ImportReport['issues'][number];
export type IssueKind = ImportIssue['kind'];
/** Problem details of a refused import; a 422 carries the report as an extension member. */
export type ImportProblem = Partial<ApiProblem> & { report?: ImportReport };

/** What the mapping may name besides code and name (server/exports/imports/gridAttributes.ts), with the labels of the form. */
export const MAPPED_ATTRIBUTES = [
  { key: 'households', label: '户数字段', placeholder: '如 HS' },
  { key: 'population', label: '人口字段', placeholder: '如 RK' },
  { key: 'partyOrgName', label: '党组织字段', placeholder: '如 DZZ' },
  { key: 'gridWorkers', label: '网格员字段', placeholder: '如 WGY（多人用顿号分隔）' },
] as const;
export type MappedAttribute = (typeof MAPPED_ATTRIBUTES)[number]['key'];

export interface ImportOptions {
  dryRun: boolean;
  /** Source field names for the grid code and name; empty = recognised automatically. */
  codeField?: string;
  nameField?: string;
  /** Source field names of the further attributes; empty = recognised automatically. */
  attributeFields?: Partial<Record<MappedAttribute, string>>;
}

export type ImportOutcome = { kind: 'report'; report: ImportReport } | { kind: 'failed'; status: number; message: string; fields: { field: string; reason: string }[] };

export function importUrl({ dryRun, codeField, nameField, attributeFields = {} }: ImportOptions): string {
  const params = new URLSearchParams({ dryRun: String(dryRun) });
  const mapping: Record<string, string> = {};
  if (codeField?.trim()) mapping.code = codeField.trim();
  if (nameField?.trim()) mapping.name = nameField.trim();
  for (const { key } of MAPPED_ATTRIBUTES) if (attributeFields[key]?.trim()) mapping[key] = attributeFields[key].trim();
  if (Object.keys(mapping).length > 0) params.set('mapping', JSON.stringify(mapping));
  const url = api.api.exports.imports.$url();
  url.search = params.toString();
  return url.pathname + url.search;
}

/** A 2xx answer of the import route is its report; anything else is problem details. */
const isReport = (status: number, body: ImportReport | ImportProblem | null): body is ImportReport => status >= 200 && status < 300 && body !== null;

/** What the server said, as an outcome: a report (also for 422) or a failure with its reasons. */
export function outcomeOf(status: number, body: ImportReport | ImportProblem | null): ImportOutcome {
  if (isReport(status, body)) return { kind: 'report', report: body };
  if (body?.report) return { kind: 'report', report: body.report };
  const reason = body?.detail ?? body?.title ?? (status === 0 ? '网络错误，文件未上传' : `服务器错误（${status}）`);
  return { kind: 'failed', status, message: reason, fields: body?.errors ?? [] };
}

export function uploadImport(file: File, options: ImportOptions, onProgress: (fraction: number) => void, signal?: AbortSignal): Promise<ImportOutcome> {
  return new Promise((resolve) => {
    const xhr = new XMLHttpRequest();
    xhr.open('POST', importUrl(options));
    xhr.responseType = 'text';
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress(e.loaded / e.total);
    };
    xhr.onload = () => {
      let body: ImportReport | ImportProblem | null = null;
      try {
        body = JSON.parse(xhr.responseText) as ImportReport | ImportProblem;
      } catch {
        body = null;
      }
      resolve(outcomeOf(xhr.status, body));
    };
    xhr.onerror = () => resolve(outcomeOf(0, null));
    xhr.onabort = () => resolve({ kind: 'failed', status: 0, message: '已取消', fields: [] });
    signal?.addEventListener('abort', () => xhr.abort());
    const form = new FormData();
    form.append('file', file, file.name);
    xhr.send(form);
  });
}
