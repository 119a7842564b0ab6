import { describe, expect, it } from 'vitest';
import { parseAmount, parseBoolean } from './import.values.ts';
import { formatVariantGroup, suggestedValueMaps, variantTracker } from './import.variants.ts';

describe('amounts in the mapping number format', () => {
  it('reads thousands separators, decimal marks and currency symbols or codes', () => {
    expect(parseAmount('$12,000.50', '1,234.56')).toEqual({ amount: 12000.5, currency: 'USD' });
    expect(parseAmount('12.000,50 €', '1.234,56')).toEqual({ amount: 12000.5, currency: 'EUR' });
    expect(parseAmount('R$ 1.500', '1.234,56')).toEqual({ amount: 1500, currency: 'BRL' });
    expect(parseAmount('EUR 1 200,5', '1 234,56')).toEqual({ amount: 1200.5, currency: 'EUR' });
    expect(parseAmount("1'234.56 CHF", "1'234.56")).toEqual({ amount: 1234.56, currency: 'CHF' });
    expect(parseAmount('1\u00a0200,00', '1 234,56')).toEqual({ amount: 1200 });
    expect(parseAmount('15000.5', '1234.56')).toEqual({ amount: 15000.5 });
    expect(parseAmount('0.125', '1234.56')).toEqual({ amount: 0.13 });
  });

  it('refuses what is not a plain non-negative amount', () => {
    for (const text of ['twelve', '-500', '(1,200)', '1.2.3', '12,000.50', '', '$']) {
      expect([text, parseAmount(text, text === '12,000.50' ? '1.234,56' : '1,234.56')]).toEqual([
        text,
        undefined,
      ]);
    }
  });

  it('reads booleans as exports write them', () => {
    expect(['true', 'TRUE', '1', 'yes', 'false', '0', 'No'].map(parseBoolean)).toEqual([
      true,
      true,
      true,
      true,
      false,
      false,
      false,
    ]);
    expect(parseBoolean('maybe')).toBeUndefined();
  });
});

describe('variants of one value', () => {
  it('groups spellings that differ only in case, spacing or punctuation, with counts and lines', () => {
    const tracker = variantTracker(['product']);
    const rows: [string, number][] = [
      ['GTX Pro', 2],
      ['GTXPro', 3],
      ['gtx pro', 4],
      ['GTX Pro', 5],
      ['Basic', 6],
      ['GTX-Pro', 7],
    ];
    for (const [value, line] of rows) tracker.record('product', value, line);
    tracker.record('owner', 'Ann', 8);
    tracker.record('product', null, 9);
    const groups = tracker.groups();
    expect(groups).toEqual([
      {
        field: 'product',
        values: [
          { value: 'GTX Pro', count: 2, lines: [2, 5] },
          { value: 'GTXPro', count: 1, lines: [3] },
          { value: 'gtx pro', count: 1, lines: [4] },
          { value: 'GTX-Pro', count: 1, lines: [7] },
        ],
      },
    ]);
    expect(suggestedValueMaps(groups)).toEqual({ product: { 'GTX Pro': 'GTX Pro' } });
    expect(formatVariantGroup(groups[0]!)).toBe(
      'product: "GTX Pro" (2 rows: lines 2, 5), "GTXPro" (1 row: line 3), "gtx pro" (1 row: line 4), "GTX-Pro" (1 row: line 7)',
    );
  });
});
