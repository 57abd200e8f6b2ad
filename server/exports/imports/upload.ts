/**
 * What an import request brings: its parameters (dryRun, format, mapping) and
 * the file, raw in the body (any content type) or as the multipart field `file`.
 * The body is never buffered on the main thread: the route hands its stream to
 * the import worker (parseOffThread.ts), which assembles it and takes the file
 * out (uploadedFile). Anything unusable is an ImportError (400/413), so the
 * route stays a call.
 */
import { ImportError } from './importError';
import { parseMapping, type AttributeMapping } from './prepare';

export const IMPORT_MAX_BYTES = 50 * 1024 * 1024;

export interface ImportParameters {
  dryRun: boolean;
  format?: string;
  mapping: AttributeMapping;
}

/** The request body as it arrives, with the headers that say what it is. */
export interface UploadStream {
  body: ReadableStream<Uint8Array> | null;
  contentType: string;
  /** Content-Length, when the client sent one. */
  declaredLength: number | null;
}

export interface Upload {
  bytes: Uint8Array;
  fileName?: string;
}

const invalid = (field: string, detail: string, reason = detail) => new ImportError(400, '请求参数无效', detail, [{ field, reason }]);

/** The body is over IMPORT_MAX_BYTES. */
export const uploadTooLarge = () => new ImportError(413, '文件过大', `导入文件不能超过 ${IMPORT_MAX_BYTES / 1024 / 1024} MB`, [{ field: 'file', reason: '文件过大' }]);

/** `?dryRun=true|false` (default true), `format=`, `mapping=code:WGBM,name:WGMC`. */
export function importParameters(query: Record<string, string | undefined>): ImportParameters {
  const dryRun = query.dryRun ?? 'true';
  if (dryRun !== 'true' && dryRun !== 'false') throw invalid('dryRun', 'dryRun 应为 true 或 false');
  const mapping = parseMapping(query.mapping);
  if (typeof mapping === 'string') throw invalid('mapping', mapping);
  return { dryRun: dryRun === 'true', format: query.format || undefined, mapping };
}

export function uploadStream(request: Request): UploadStream {
  const length = request.headers.get('content-length');
  return { body: request.body, contentType: request.headers.get('content-type') ?? '', declaredLength: length === null || length === '' ? null : Number(length) };
}

/** The file in an assembled body (in the import worker): the body itself, or the multipart field `file`. */
export async function uploadedFile(body: Uint8Array, contentType: string): Promise<Upload> {
  let upload: Upload;
  if (contentType.startsWith('multipart/form-data')) {
    const form = await new Response(body as Uint8Array<ArrayBuffer>, { headers: { 'content-type': contentType } }).formData().catch(() => null);
    const file = form?.get('file');
    if (!file || typeof file === 'string') throw invalid('file', '表单中缺少文件字段 file', '缺少文件');
    upload = { bytes: new Uint8Array(await file.arrayBuffer()), fileName: file.name };
  } else {
    upload = { bytes: body };
  }
  if (upload.bytes.length === 0) throw invalid('file', '没有上传文件', '文件为空');
  return upload;
}
