import { describe, expect, it } from 'vitest';
import { csvField, spreadsheetField, spreadsheetLine } from './csv.ts';

describe('CSV fields', () => {
  it('quotes only what needs quoting, and doubles quotes', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('Acme, Inc.')).toBe('"Acme, Inc."');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('two\nlines')).toBe('"two\nlines"');
    expect(csvField(null)).toBe('');
    expect(csvField(undefined)).toBe('');
    expect(csvField(12.5)).toBe('12.5');
    expect(csvField(false)).toBe('false');
    expect(csvField(new Date('2026-03-01T14:05:00Z'))).toBe('2026-03-01T14:05:00.000Z');
  });

  it('keeps spreadsheets from running text as a formula', () => {
    expect(spreadsheetField('=HYPERLINK("http://evil.example","x")')).toBe(
      `"'=HYPERLINK(""http://evil.example"",""x"")"`,
    );
    expect(spreadsheetField('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(spreadsheetField('+cmd|calc')).toBe("'+cmd|calc");
    expect(spreadsheetField('-2+3+cmd|calc')).toBe("'-2+3+cmd|calc");
    expect(spreadsheetField('\tTab')).toBe("'\tTab");
  });

  it('leaves phone numbers, negative numbers and ordinary text alone', () => {
    expect(spreadsheetField('+1 (555) 010-0100')).toBe('+1 (555) 010-0100');
    expect(spreadsheetField('-40')).toBe('-40');
    expect(spreadsheetField(-40)).toBe('-40');
    expect(spreadsheetField('Head of Sales')).toBe('Head of Sales');
    expect(spreadsheetField('a=b')).toBe('a=b');
  });

  it('ends a line with CRLF', () => {
    expect(spreadsheetLine(['a', 1, null, 'b,c'])).toBe('a,1,,"b,c"\r\n');
  });
});
