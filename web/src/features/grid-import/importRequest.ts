/**
 * Grid import upload: POST /api/exports/imports with the file as multipart
 * `file`, dry run or commit. XMLHttpRequest rather than fetch because only it
 * reports upload progress (files up to 50 MB). The server answers 200 with the
 * report, 422 with the report when the file has errors (nothing written), and
 * 4xx problem details for unreadable input.
 */
import type { ImportReport } from '../../../../server/exports/imports/report';

export type { ImportIssue, ImportReport, IssueKind } from '../../../../server/exports/imports/report';

export interface ImportOptions {
  dryRun: boolean;
  /** Source field names for the grid code and name; empty = recognised automatically. */
  codeField?: string;
  nameField?: string;
}

export type ImportOutcome =
  | { kind: 'report'; report: ImportReport }
  | { kind: 'failed'; status: number; message: string; fields: { field: string; reason: string }[] };

export function importUrl({ dryRun, codeField, nameField }: ImportOptions): string {
  const params = new URLSearchParams({ dryRun: String(dryRun) });
  const mapping: Record<string, string> = {};
  if (codeField?.trim()) mapping.code = codeField.trim();
  if (nameField?.trim()) mapping.name = nameField.trim();
  if (Object.keys(mapping).length > 0) params.set('mapping', JSON.stringify(mapping));
  return `/api/exports/imports?${params}`;
}

interface ProblemBody {
  title?: string;
  detail?: string;
  report?: ImportReport;
  errors?: { field: string; reason: string }[];
}

/** What the server said, as an outcome: a report (also for 422) or a failure with its reasons. */
export function outcomeOf(status: number, body: ProblemBody | null): ImportOutcome {
  if (body?.report) return { kind: 'report', report: body.report };
  if (status >= 200 && status < 300 && body) return { kind: 'report', report: body as unknown as ImportReport };
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
      let body: ProblemBody | null = null;
      try {
        body = JSON.parse(xhr.responseText) as ProblemBody;
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
