/**
 * How personal data is shown once it is decided who sees what: a reader's view of
 * the people on one record (names shown or withheld, phones masked or plain) and
 * the masking of phone numbers, 13812341234 → 138****1234. Pure, so the record
 * mapping (db/gridRecord.ts) and the server apply it alike; who gets which view is
 * decided in server/auth/personalData.ts.
 *
 * The rule: keep what helps a reader recognise a number without being able to
 * dial it — the operator prefix and the last four digits of a mobile, the area
 * code and the last four digits of a landline — and write one * per hidden digit.
 * Anything not recognisable as a phone number never shows more than its last four
 * digits, and short or digit-less input shows nothing at all.
 */

/** Shown instead of input too short or too odd to mask partially. */
export const FULLY_MASKED = '****';

/** Mainland mobiles: 11 digits starting with 1, optionally after +86/0086/86. */
const MOBILE = /^(?:(?:\+|00)?86)?(1\d{10})$/;
/** Landlines: 0 + area code (010 and 02x have two digits after the 0, the rest three) + a 7–8 digit number. */
const LANDLINE = /^(0(?:10|2\d|[3-9]\d{2}))(\d{7,8})$/;
/** A trailing extension: 0775-2681234-12, 0775 2681234 转 12, … ext. 12. */
const EXTENSION = /^(.+?)\s*(?:-|转|分机|ext\.?|x|#)\s*(\d{1,6})$/i;
/** What people type between digits: spaces, hyphens and dashes, dots, brackets. */
const SEPARATORS = /[\s().\-–—]/g;

const stars = (n: number) => '*'.repeat(n);
/** All but the last four characters of a digit string as stars. */
const keepLastFour = (digits: string) => stars(digits.length - 4) + digits.slice(-4);

function maskNumber(text: string): string | null {
  const compact = text.replace(SEPARATORS, '');
  const mobile = MOBILE.exec(compact);
  if (mobile) {
    const number = mobile[1]!;
    return `${compact.length > 11 ? '+86 ' : ''}${number.slice(0, 3)}${stars(4)}${number.slice(-4)}`;
  }
  const landline = LANDLINE.exec(compact);
  return landline ? `${landline[1]}-${keepLastFour(landline[2]!)}` : null;
}

/** A phone number as a reader without the right to see it gets it (see the rule above). */
export function maskPhone(phone: string): string {
  // Full-width digits and brackets (１３８…, （0775）) become ASCII.
  const text = phone.normalize('NFKC').trim();
  if (text === '') return '';
  const whole = maskNumber(text);
  if (whole) return whole;
  const withExtension = EXTENSION.exec(text);
  const main = withExtension && maskNumber(withExtension[1]!);
  if (main?.startsWith('0')) return `${main}-${stars(withExtension![2]!.length)}`;
  const digits = text.replace(/\D/g, '');
  return digits.length >= 7 ? keepLastFour(digits) : FULLY_MASKED;
}

/** What one reader sees of the people on one record. */
export interface PeopleView {
  /** Names and phones are shown at all; false = withheld (null, and the record says so). */
  names: boolean;
  /** How phones are shown where names are: masked, or plain after an audited reveal. */
  phones: 'masked' | 'plain';
}

/** A name (or a list of names) as the view shows it: null when withheld. */
export const nameFor = <T>(view: PeopleView, value: T): T | null => (view.names ? value : null);

/** A phone as the view shows it: null when withheld or absent, masked unless revealed. */
export function phoneFor(view: PeopleView, phone: string | null): string | null {
  if (!view.names || phone === null) return null;
  return view.phones === 'plain' ? phone : maskPhone(phone);
}
