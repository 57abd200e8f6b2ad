/**
 * One CSV cell, the same for every CSV the server writes (layer exports, the
 * audit trail): RFC 4180 quoting, and text that a spreadsheet would run as a
 * formula (= + - @, a leading tab or CR, and the full-width ＝＋－＠ that Excel
 * and WPS also accept) neutralised with a leading apostrophe (CSV injection).
 * Only text is neutralised: numbers and booleans are written as they are, so a
 * negative number stays a number.
 */

const FORMULA_START = /^[=+\-@\t\r＝＋－＠]/;

/** Text that cannot start a formula: a leading apostrophe where it would. */
export function neutraliseFormula(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

export interface CsvCellOptions {
  /** Quote every cell (the audit trail), not only those holding a quote, comma or line break. */
  alwaysQuote?: boolean;
}

export function csvCell(value: unknown, options: CsvCellOptions = {}): string {
  let text: string;
  if (value === null || value === undefined) text = '';
  else if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') text = String(value);
  else if (value instanceof Date) text = value.toISOString();
  else text = neutraliseFormula(typeof value === 'string' ? value : JSON.stringify(value));
  return options.alwaysQuote || /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}
