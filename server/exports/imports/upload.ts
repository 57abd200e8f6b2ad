/**
 * What an import request brings: its parameters (dryRun, format, mapping) and
 * the file, raw in the body (any content type) or as the multipart field `file`.
 * Anything unusable is an ImportError (400/413), so the route stays a call.
 */
import { ImportError } from './importError';
import { parseMapping, type AttributeMapping } from './prepare';

export const IMPORT_MAX_BYTES = 50 * 1024 * 1024;

export interface ImportParameters {
  dryRun: boolean;
  format?: string;
  mapping: AttributeMapping;
}

export interface Upload {
  bytes: Uint8Array;
  fileName?: string;
}

const invalid = (field: string, detail: string, reason = detail) => new ImportError(400, '请求参数无效', detail, [{ field, reason }]);

/** The body is over IMPORT_MAX_BYTES. */
export const uploadTooLarge = () =>
  new ImportError(413, '文件过大', `导入文件不能超过 ${IMPORT_MAX_BYTES / 1024 / 1024} MB`, [{ field: 'file', reason: '文件过大' }]);

/** `?dryRun=true|false` (default true), `format=`, `mapping=code:WGBM,name:WGMC`. */
export function importParameters(query: Record<string, string | undefined>): ImportParameters {
  const dryRun = query.dryRun ?? 'true';
  if (dryRun !== 'true' && dryRun !== 'false') throw invalid('dryRun', 'dryRun 应为 true 或 false');
  const mapping = parseMapping(query.mapping);
  if (typeof mapping === 'string') throw invalid('mapping', mapping);
  return { dryRun: dryRun === 'true', format: query.format || undefined, mapping };
}

export async function readUpload(request: Request): Promise<Upload> {
  let upload: Upload;
  if ((request.headers.get('content-type') ?? '').startsWith('multipart/form-data')) {
    const form = await request.formData().catch(() => null);
    const file = form?.get('file');
    if (!file || typeof file === 'string') throw invalid('file', '表单中缺少文件字段 file', '缺少文件');
    upload = { bytes: new Uint8Array(await file.arrayBuffer()), fileName: file.name };
  } else {
    upload = { bytes: new Uint8Array(await request.arrayBuffer()) };
  }
  if (upload.bytes.length === 0) throw invalid('file', '没有上传文件', '文件为空');
  return upload;
}
