/**
 * Export download with progress: requests GET /api/exports/:layer through the
 * typed client, reads the streamed body chunk by chunk and reports bytes received, the feature count
 * the server announced (X-Feature-Count) and, when Content-Length is known, a
 * fraction. Streaming formats have no Content-Length, so the UI shows bytes.
 */
import { api } from '../../api/client';

export interface ExportChoice {
  layer: string;
  format: string;
  crs: string;
  region?: string;
  from?: string;
  to?: string;
}

export interface ExportProgress {
  bytes: number;
  total: number | null;
  features: number | null;
  /** 0..1 when the total size is known, else null (indeterminate). */
  fraction: number | null;
}

const exportEndpoint = api.api.exports[':layer'];

/** The route's parameters for a choice: only the filters given. */
function exportInput(choice: ExportChoice) {
  return {
    param: { layer: choice.layer },
    query: { format: choice.format, crs: choice.crs, ...(choice.region ? { region: choice.region } : {}), ...(choice.from ? { from: choice.from } : {}), ...(choice.to ? { to: choice.to } : {}) },
  };
}

/** The download's path and query, e.g. for a link. */
export function exportUrl(choice: ExportChoice): string {
  const url = exportEndpoint.$url(exportInput(choice));
  return url.pathname + url.search;
}

/** Starts the download; the body is read by downloadExport. */
export const requestExport = (choice: ExportChoice, signal: AbortSignal) => exportEndpoint.$get(exportInput(choice), { init: { signal } });

/** The download name from Content-Disposition (filename* preferred), reduced to a safe base name. */
export function fileNameFrom(disposition: string | null, fallback: string): string {
  const star = /filename\*=UTF-8''([^;]+)/i.exec(disposition ?? '');
  const plain = /filename="([^"]+)"/i.exec(disposition ?? '');
  let name = fallback;
  try {
    name = star ? decodeURIComponent(star[1]!) : (plain?.[1] ?? fallback);
  } catch {
    name = plain?.[1] ?? fallback;
  }
  return name.replace(/[\\/:*?"<>|]/g, '_').replace(/^\.+/, '') || fallback;
}

export async function downloadExport(response: Pick<Response, 'ok' | 'status' | 'headers' | 'body' | 'json'>, onProgress: (p: ExportProgress) => void): Promise<{ blob: Blob; fileName: string }> {
  if (!response.ok) {
    const problem = (await response.json().catch(() => ({}))) as { title?: string; detail?: string };
    throw new Error(problem.detail ? `${problem.title ?? '导出失败'}：${problem.detail}` : (problem.title ?? `导出失败（${response.status}）`));
  }
  const total = Number(response.headers.get('content-length')) || null;
  const featuresHeader = response.headers.get('x-feature-count');
  const features = featuresHeader === null ? null : Number(featuresHeader);
  const chunks: Uint8Array<ArrayBuffer>[] = [];
  let bytes = 0;
  const reader = response.body?.getReader();
  if (reader) {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value as Uint8Array<ArrayBuffer>);
      bytes += value.length;
      onProgress({ bytes, total, features, fraction: total ? Math.min(1, bytes / total) : null });
    }
  }
  onProgress({ bytes, total, features, fraction: 1 });
  const type = response.headers.get('content-type') ?? 'application/octet-stream';
  return { blob: new Blob(chunks, { type }), fileName: fileNameFrom(response.headers.get('content-disposition'), 'export') };
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}
