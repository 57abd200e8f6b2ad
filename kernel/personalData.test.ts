import { describe, expect, it } from 'vitest';
import { FULLY_MASKED, maskPhone } from './personalData';

describe('maskPhone', () => {
  it.each([
    ['13812341234', '138****1234'],
    ['138 1234 1234', '138****1234'],
    ['138-1234-1234', '138****1234'],
    ['１３８１２３４１２３４', '138****1234'],
    ['+86 138 1234 1234', '+86 138****1234'],
    ['8613812341234', '+86 138****1234'],
    ['0086-13812341234', '+86 138****1234'],
  ])('masks the 11-digit mobile %s as %s', (input, masked) => {
    expect(maskPhone(input)).toBe(masked);
  });

  it.each([
    ['0775-2681234', '0775-***1234'],
    ['07752681234', '0775-***1234'],
    ['(0775) 2681 2345', '0775-****2345'],
    ['（0775）26812345', '0775-****2345'],
    ['010-62751234', '010-****1234'],
    ['020 8765 4321', '020-****4321'],
    ['0775-2681234-12', '0775-***1234-**'],
    ['0775-2681234 转 123', '0775-***1234-***'],
  ])('keeps the area code of the landline %s: %s', (input, masked) => {
    expect(maskPhone(input)).toBe(masked);
  });

  it.each([
    ['2681234', '***1234'],
    ['1381234123', '******4123'],
    ['138123412345', '********2345'],
    ['+1 415 555 0123', '*******0123'],
    ['张三 13812341234', '*******1234'],
  ])('shows at most the last four digits of the unrecognised number %s', (input, masked) => {
    expect(maskPhone(input)).toBe(masked);
  });

  it.each(['110', '12345', '123-456', '无', 'n/a', '-', '１２'])('hides short or digit-less input %s entirely', (input) => {
    expect(maskPhone(input)).toBe(FULLY_MASKED);
  });

  it('leaves an empty value empty', () => {
    expect(maskPhone('')).toBe('');
    expect(maskPhone('   ')).toBe('');
  });

  it('never shows more than the area code or mobile prefix and the last four digits', () => {
    const inputs = ['13812341234', '+86 13812341234', '0775-26812345-123456', '010 1234 5678', '99999999999999', '1'.repeat(30), '0'.repeat(12)];
    for (const input of inputs) {
      const shown = maskPhone(input)
        .replace(/^\+86 /, '')
        .replace(/^0\d{2,3}-/, '');
      // The mobile prefix (3 digits) and the last four are the most any mask shows.
      expect(shown.replace(/\D/g, '').length, `${input} → ${maskPhone(input)}`).toBeLessThanOrEqual(7);
      expect(shown).toMatch(/\*/);
    }
  });
});
