/**
 * The text of an uploaded batch file. Chinese Excel saves CSV as GBK by default, so a
 * body that is not valid UTF-8 is read as GB18030 (a superset of GBK); one that is
 * neither is refused. Decoding is strict (fatal), so no byte is ever silently turned
 * into U+FFFD — and a file that already contains U+FFFD (mangled before it reached
 * us) is refused too, instead of storing the replacement characters.
 */
import { IngestFormatError } from './ingest';

export type BatchEncoding = 'utf-8' | 'gb18030';

export interface DecodedBatch {
  text: string;
  encoding: BatchEncoding;
}

/** A UTF-8 byte-order mark is dropped (TextDecoder's default); GB18030 has none to drop. */
export function decodeBatch(bytes: Uint8Array): DecodedBatch {
  let decoded: DecodedBatch | null = null;
  for (const encoding of ['utf-8', 'gb18030'] as const) {
    try {
      decoded = { text: new TextDecoder(encoding, { fatal: true }).decode(bytes), encoding };
      break;
    } catch {
      // not this encoding; try the next
    }
  }
  if (!decoded) throw new IngestFormatError('无法识别文件编码：应为 UTF-8 或 GBK（GB18030），请在 Excel 中另存为“CSV UTF-8”后重试');
  const at = decoded.text.indexOf('\uFFFD');
  if (at >= 0) {
    const line = decoded.text.slice(0, at).split('\n').length;
    throw new IngestFormatError(`文件第 ${line} 行含有无法识别的字符（�），文件在保存或转换时编码已损坏，请用原始文件重新导出后重试`);
  }
  return decoded;
}
