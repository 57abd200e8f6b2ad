/**
 * The one text validator for everything a user types: names (grids, party
 * organisations and people, centres, demonstrations, display names) and free text
 * (notes, reasons, descriptions, addresses). Text is stored once and shown in the
 * web app, the big screen, exports and GIS tools, so what could turn into markup,
 * hide or reorder what a reader sees (bidi overrides, control characters) or
 * betray a broken encoding (U+FFFD, lone surrogates) is refused at the door.
 *
 * Names follow a strict character list (no quotes, semicolons or markup at all);
 * free text may use any punctuation but no markup `<…>`. Both come as zod schemas
 * and as plain checks (`nameProblem`, `noteProblem`) for parsers that do not use zod
 * (e.g. CSV rows of an incident batch).
 */
import { z } from 'zod';

/** Chinese, letters, digits, spaces and the punctuation names of places, organisations and people use. */
const NAME_CHARACTERS = /^[\p{Script=Han}\p{L}\p{N} ·•()（）\-_—–、,，.。#＃/]+$/u;

/** Control characters (NUL included) except tab and line breaks: free text may have several lines. */
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/u;
/** Embeddings, overrides and isolates: they reorder what a reader sees (e.g. U+202E). */
const BIDI_CONTROL = /[\u202A-\u202E\u2066-\u2069]/u;
/** What a wrong encoding leaves behind: the replacement character, or half a surrogate pair. */
const BROKEN_ENCODING = /[\uFFFD]|\p{Cs}/u;
/** The start of a tag, comment or processing instruction: `<b`, `</`, `<!`, `<?`. */
const MARKUP = /<[\p{L}/!?]/u;

/** Why a name is refused (Chinese, with the field), or null when it is acceptable. Expects trimmed text. */
export function nameProblem(field: string, value: string, max = 100): string | null {
  if (value.length === 0) return `${field}不能为空`;
  if (value.length > max) return `${field}最长 ${max} 个字`;
  if (!NAME_CHARACTERS.test(value)) return `${field}含有不允许的字符（如 < > ' " ; 等）`;
  return null;
}

/** Why a free text is refused (Chinese, with the field), or null when it is acceptable. Expects trimmed text. */
export function noteProblem(field: string, value: string, max: number): string | null {
  if (value.length > max) return `${field}最长 ${max} 个字`;
  if (CONTROL.test(value)) return `${field}含有控制字符`;
  if (BIDI_CONTROL.test(value)) return `${field}含有改变文字方向的控制字符（如 U+202E）`;
  if (BROKEN_ENCODING.test(value)) return `${field}含有乱码（替换字符 U+FFFD 或残缺的字符），请检查文件编码`;
  if (MARKUP.test(value)) return `${field}不能包含 HTML 标记（< 后紧跟字母、/、! 或 ?）`;
  return null;
}

/** A required name of at most `max` characters (trimmed): the checks of nameProblem, each reported on its own. */
export const nameText = (field: string, max = 100) =>
  z
    .string({ error: `${field}应为文字` })
    .trim()
    .min(1, `${field}不能为空`)
    .max(max, `${field}最长 ${max} 个字`)
    .regex(NAME_CHARACTERS, `${field}含有不允许的字符（如 < > ' " ; 等）`);

/**
 * Free text of at most `max` characters (trimmed); empty is allowed unless
 * `required` (then the message is `请填写${field}`). Add .nullable()/.optional() as the field needs.
 */
export const noteText = (field: string, max: number, { required = false }: { required?: boolean } = {}) =>
  z
    .string({ error: `${field}应为文字` })
    .trim()
    .superRefine((value, ctx) => {
      const reason = required && value.length === 0 ? `请填写${field}` : noteProblem(field, value, max);
      if (reason) ctx.addIssue({ code: 'custom', message: reason });
    });
