import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CsvParser, MAX_RECORD_CHARS, type UnreadableLines } from './import.csv-parser.ts';

function parseAll(chunks: string[]) {
  const problems: UnreadableLines[] = [];
  const parser = new CsvParser((problem) => problems.push(problem));
  const records = [...chunks.flatMap((chunk) => parser.push(chunk)), ...parser.end()];
  return { records: records.map((r) => [r.line, ...r.values]), problems };
}

describe('CsvParser', () => {
  it('reads quoted values, mixed line ends, empty lines and a BOM, with the line each record starts on', () => {
    const text = '\uFEFFa,b,c\r\n1,"x, ""y""",z\n\n2,"multi\r\nline",\r\n\r\n3,,"last"';
    expect(parseAll([text]).records).toEqual([
      [1, 'a', 'b', 'c'],
      [2, '1', 'x, "y"', 'z'],
      [4, '2', 'multi\r\nline', ''],
      [7, '3', '', 'last'],
    ]);
  });

  it('takes the separator from an Excel "sep=" line before the header, counting that line', () => {
    expect(parseAll(['sep=;\r\nName;E-mail\r\n"Heiß, Jo";jo@x.example\r\n']).records).toEqual([
      [2, 'Name', 'E-mail'],
      [3, 'Heiß, Jo', 'jo@x.example'],
    ]);
    // Split anywhere, the same records.
    expect(parseAll(['se', 'p=|\nName|Email\n', 'Jo|jo@x.example']).records).toEqual([
      [2, 'Name', 'Email'],
      [3, 'Jo', 'jo@x.example'],
    ]);
  });

  it('skips a record with a stray quote up to the end of that line and reads on', () => {
    const { records, problems } = parseAll([
      'a,b\n1,ab"c\n2,"x"y\n3,"two\nlines"z\n4,ok\n5,"never closed\n6,z\n',
    ]);
    expect(records).toEqual([
      [1, 'a', 'b'],
      [6, '4', 'ok'],
    ]);
    expect(problems).toEqual([
      { line: 2, lastLine: 2, reason: 'a quote inside a value that does not start with one' },
      { line: 3, lastLine: 3, reason: 'a closing quote is followed by "y"' },
      { line: 4, lastLine: 5, reason: 'a closing quote is followed by "z"' },
      { line: 7, lastLine: 9, reason: 'a quote is never closed' },
    ]);
  });

  it('gives up on a record longer than the limit instead of holding the rest of the file', () => {
    const problems: UnreadableLines[] = [];
    const parser = new CsvParser((problem) => problems.push(problem));
    parser.push('a\n"open\n');
    const filler = 'x'.repeat(1 << 20);
    let records = 0;
    for (let mb = 0; mb <= MAX_RECORD_CHARS >> 20; mb++) records += parser.push(`${filler}\n`).length;
    expect(problems[0]).toMatchObject({ line: 2 });
    expect(records).toBeGreaterThan(0);
  });

  it('reads any valid CSV, cut into chunks anywhere, as csv-parse does', () => {
    const value = fc.oneof(
      fc.stringMatching(/^[a-z ]{0,6}$/),
      fc
        .string({ unit: fc.constantFrom('a', ',', '"', '\n', '\r\n', ' ') })
        .map((s) => `"${s.replaceAll('"', '""')}"`),
    );
    const record = fc.array(value, { minLength: 2, maxLength: 2 }).map((values) => values.join(','));
    fc.assert(
      fc.property(
        fc.array(record, { minLength: 1, maxLength: 8 }),
        fc.constantFrom('\n', '\r\n'),
        fc.array(fc.nat(), { maxLength: 5 }),
        (records, eol, cuts) => {
          const text = records.join(eol) + eol;
          const expected = parse(text, {
            record_delimiter: ['\r\n', '\n'],
            skip_empty_lines: true,
          }) as string[][];
          const points = [...new Set(cuts.map((c) => c % text.length))].sort((x, y) => x - y);
          const chunks = [0, ...points].map((from, i) => text.slice(from, [...points, text.length][i]));
          const { records: got, problems } = parseAll(chunks);
          expect(problems).toEqual([]);
          expect(got.map(([, ...values]) => values)).toEqual(expected);
        },
      ),
    );
  });
});

describe('the separator', () => {
  const read = (text: string, chunk = text.length) => {
    const parser = new CsvParser(() => {});
    const records = [];
    for (let at = 0; at < text.length; at += chunk) records.push(...parser.push(text.slice(at, at + chunk)));
    return [...records, ...parser.end()].map((r) => r.values);
  };

  it('is what the header line uses: a semicolon from a European spreadsheet, or a tab', () => {
    const semicolons = 'Name;E-mail;Firma\nLise Meitner;lise@k.example;"Kernphysik; Berlin"\n';
    expect(read(semicolons)).toEqual([
      ['Name', 'E-mail', 'Firma'],
      ['Lise Meitner', 'lise@k.example', 'Kernphysik; Berlin'],
    ]);
    // Read a few characters at a time, the header line is awaited before the separator is chosen.
    expect(read(semicolons, 3)).toEqual(read(semicolons));
    expect(read('Name\tE-mail\nOtto Hahn\totto@k.example')).toEqual([
      ['Name', 'E-mail'],
      ['Otto Hahn', 'otto@k.example'],
    ]);
  });

  it('stays a comma when a semicolon only appears inside quotes', () => {
    expect(read('"Last; First",email\n"Noether; Emmy",emmy@a.example\n')).toEqual([
      ['Last; First', 'email'],
      ['Noether; Emmy', 'emmy@a.example'],
    ]);
  });
});
