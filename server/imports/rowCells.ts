/**
 * Reading one import row's cells with Chinese reasons: names (the API's name rule), free
 * text, integers, 是/否, dates and phone numbers. Each reader records its problem under the
 * column and returns null, so a row reports every bad cell at once, not just the first.
 */
import { impossibleDate } from '../http/params';
import { nameProblem, noteProblem } from '../http/text';
import type { ParsedRow } from './importEntity';

const YES = new Set(['是', '有', 'y', 'yes', 'true', '1', '√', '已成立', '已组建']);
const NO = new Set(['否', '无', 'n', 'no', 'false', '0', '×', '未成立', '']);
const PHONE = /^[0-9+\-() ]{3,30}$/;

export class RowCells {
  readonly errors: { field: string; reason: string }[] = [];
  constructor(
    private readonly cells: Readonly<Record<string, string>>,
    private readonly labels: Readonly<Record<string, string>>,
  ) {}

  raw(key: string): string {
    return this.cells[key] ?? '';
  }
  fail(key: string, reason: string): null {
    this.errors.push({ field: key, reason });
    return null;
  }
  private label(key: string) {
    return this.labels[key] ?? key;
  }
  private missing(key: string, required: boolean): boolean {
    if (this.raw(key) !== '') return false;
    if (required) this.fail(key, `${this.label(key)}不能为空`);
    return true;
  }

  name(key: string, { required = false, max = 100 } = {}): string | null {
    if (this.missing(key, required)) return null;
    const problem = nameProblem(this.label(key), this.raw(key), max);
    return problem ? this.fail(key, problem) : this.raw(key);
  }
  text(key: string, max: number, { required = false } = {}): string | null {
    if (this.missing(key, required)) return null;
    const problem = noteProblem(this.label(key), this.raw(key), max);
    return problem ? this.fail(key, problem) : this.raw(key);
  }
  int(key: string, { required = false, min = 0, max = 10_000_000 } = {}): number | null {
    if (this.missing(key, required)) return null;
    const text = this.raw(key).replace(/[,，]/g, '');
    if (!/^-?\d+(\.0+)?$/.test(text)) return this.fail(key, `${this.label(key)}应为整数，实际为“${this.raw(key)}”`);
    const n = Number.parseInt(text, 10);
    if (n < min || n > max) return this.fail(key, `${this.label(key)}应在 ${min}～${max} 之间，实际为 ${n}`);
    return n;
  }
  number(key: string, { required = false, min = 0, max = 1e9 } = {}): number | null {
    if (this.missing(key, required)) return null;
    const n = Number(this.raw(key).replace(/[,，]/g, ''));
    if (!Number.isFinite(n)) return this.fail(key, `${this.label(key)}应为数字，实际为“${this.raw(key)}”`);
    if (n < min || n > max) return this.fail(key, `${this.label(key)}应在 ${min}～${max} 之间，实际为 ${n}`);
    return n;
  }
  bool(key: string): boolean | null {
    const v = this.raw(key).toLowerCase();
    if (YES.has(v)) return true;
    if (NO.has(v)) return false;
    return this.fail(key, `${this.label(key)}应为“是”或“否”，实际为“${this.raw(key)}”`);
  }
  date(key: string, { required = false } = {}): string | null {
    if (this.missing(key, required)) return null;
    const m = /^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})日?$/.exec(this.raw(key));
    if (!m) return this.fail(key, `${this.label(key)}应为日期（如 2021-07-01），实际为“${this.raw(key)}”`);
    const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
    if (impossibleDate(y, mo, d)) return this.fail(key, `${this.label(key)}不是有效日期：${this.raw(key)}`);
    return `${y}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
  }
  phone(key: string, { required = false } = {}): string | null {
    if (this.missing(key, required)) return null;
    return PHONE.test(this.raw(key)) ? this.raw(key) : this.fail(key, `${this.label(key)}只能包含数字、+、-、括号和空格`);
  }
  /** One of `options` (by label), or null and an error. */
  choice<T extends string>(key: string, options: readonly T[], { required = false } = {}): T | null {
    if (this.missing(key, required)) return null;
    const v = this.raw(key) as T;
    return options.includes(v) ? v : this.fail(key, `${this.label(key)}只能取 ${options.join('、')}，实际为“${this.raw(key)}”`);
  }

  result<T>(value: T): ParsedRow<T> {
    return this.errors.length > 0 ? { errors: this.errors } : { value };
  }
}

/** The labels of an entity's columns by key, for RowCells. */
export const columnLabels = (columns: readonly { key: string; header: string }[]) => Object.fromEntries(columns.map((c) => [c.key, c.header]));
