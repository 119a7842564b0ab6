// A sheet of an XLSX workbook read as the records a CSV file gives.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, describe, expect, it } from 'vitest';
import {
  type CsvProblem,
  type CsvRecord,
  type ReadOptions,
  readCsvHeader,
  readCsvRecords,
  readCsvSample,
} from './import.csv-reader.ts';
import { cellText, workbookKind, workbookTabs } from './import.workbook.ts';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lockstep-workbook-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function records(file: string): Promise<{ records: CsvRecord[]; bytes: number[] }> {
  const all: CsvRecord[] = [];
  const bytes: number[] = [];
  for await (const batch of readCsvRecords(
    file,
    () => {},
    (read) => bytes.push(read),
  )) {
    all.push(...batch);
  }
  return { records: all, bytes };
}

async function problemsOf(file: string, read: ReadOptions = {}): Promise<CsvProblem[]> {
  const problems: CsvProblem[] = [];
  for await (const _ of readCsvRecords(
    file,
    (problem) => problems.push(problem),
    () => {},
    read,
  )) {
    // Only the problems are looked at.
  }
  return problems;
}

async function failure(file: string): Promise<string> {
  const error = await records(file).then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(Error);
  return (error as Error).message;
}

describe('reading an XLSX workbook', () => {
  it('gives each cell as the text a CSV export holds, each row with its row number as its line', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Contacts');
    sheet.addRow([
      'Email',
      'Name',
      'Created',
      'Became MQL',
      'Amount',
      'Opted in',
      'Website',
      'Total',
      'Check',
    ]);
    sheet.addRow([
      'ada@engines.example',
      { richText: [{ text: 'Ada ' }, { text: 'Lovelace', font: { bold: true } }] },
      new Date(Date.UTC(2025, 3, 8, 17, 19)),
      new Date(Date.UTC(2025, 3, 10)),
      1200.5,
      true,
      { text: 'engines.example', hyperlink: 'https://engines.example' },
      { formula: 'E2*2', result: 2401 },
      { error: '#N/A' },
    ]);
    sheet.getCell('C2').numFmt = 'm/d/yyyy h:mm';
    sheet.getCell('D2').numFmt = 'yyyy-mm-dd';
    // Only its first two cells filled: the rest of the row is as wide as the header.
    sheet.addRow(['grace@navy.example', 'Grace']);
    // Row 4 left empty; row 5 holds one value after it, as a report's footer does.
    sheet.getCell('A5').value = 'Confidential Information - Do Not Distribute';
    sheet.getCell('A6').value = 'Copyright (c) 2000-2025 salesforce.com, inc.';
    workbook.addWorksheet('Notes').addRow(['not read']);
    const file = path.join(dir, 'contacts.xlsx');
    await workbook.xlsx.writeFile(file);

    const { records: read, bytes } = await records(file);
    expect(read).toEqual([
      {
        line: 1,
        values: ['Email', 'Name', 'Created', 'Became MQL', 'Amount', 'Opted in', 'Website', 'Total', 'Check'],
      },
      {
        line: 2,
        values: [
          'ada@engines.example',
          'Ada Lovelace',
          '2025-04-08 17:19:00',
          '2025-04-10',
          '1200.5',
          'TRUE',
          'engines.example',
          '2401',
          '',
        ],
      },
      { line: 3, values: ['grace@navy.example', 'Grace', '', '', '', '', '', '', ''] },
      { line: 4, values: [''] },
      { line: 5, values: ['Confidential Information - Do Not Distribute'] },
      { line: 6, values: ['Copyright (c) 2000-2025 salesforce.com, inc.'] },
    ]);
    // Progress ends at the file's size.
    expect(bytes.at(-1)).toBe(fs.statSync(file).size);
    expect(await readCsvHeader(file)).toEqual(read[0]?.values);
  });

  it('reads the first tab as the workbook orders them, whatever the order of its sheet files', async () => {
    const workbook = new ExcelJS.Workbook();
    const notes = workbook.addWorksheet('Notes');
    notes.addRow(['not read']);
    const people = workbook.addWorksheet('People');
    people.addRow(['Email']);
    people.addRow(['ada@engines.example']);
    // sheet2.xml is the first tab (ExcelJS writes tabs by orderNo, which its types leave out).
    (people as ExcelJS.Worksheet & { orderNo: number }).orderNo = 0;
    (notes as ExcelJS.Worksheet & { orderNo: number }).orderNo = 1;
    const file = path.join(dir, 'tabs.xlsx');
    await workbook.xlsx.writeFile(file);
    expect(await readCsvSample(file, 5)).toEqual([['Email'], ['ada@engines.example']]);
    expect(await workbookTabs(file)).toEqual(['People', 'Notes']);
    // The tab left unread is named, with how to read it.
    expect(await problemsOf(file)).toEqual([
      {
        line: 1,
        reason:
          'the workbook has 2 tabs and only "People" was read (the others: "Notes"); to read another, name it (--sheet "Notes" on the command line, "sheet" in the API)',
        cause: 'more than one tab',
        severity: 'warning',
      },
    ]);
  });

  it('reads the tab it is asked for, by its name in any case, and says which tabs there are when none has it', async () => {
    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet('Summary').addRow(['Total', 2]);
    const contacts = workbook.addWorksheet('Q3 Contacts');
    contacts.addRow(['Email', 'Company']);
    contacts.addRow(['ada@engines.example', 'Analytical Engines']);
    contacts.addRow(['grace@navy.example', 'Navy']);
    workbook.addWorksheet('Deals').addRow(['Deal', 'Amount']);
    const file = path.join(dir, 'three-tabs.xlsx');
    await workbook.xlsx.writeFile(file);
    const sheet = { sheet: 'Q3 Contacts' };
    expect(await readCsvSample(file, 5, () => {}, sheet)).toEqual([
      ['Email', 'Company'],
      ['ada@engines.example', 'Analytical Engines'],
      ['grace@navy.example', 'Navy'],
    ]);
    expect(await readCsvHeader(file, { sheet: ' q3 contacts ' })).toEqual(['Email', 'Company']);
    // The first tab by default; the sample kept for one tab is not given for another.
    expect(await readCsvHeader(file)).toEqual(['Total', '2']);
    expect(await readCsvHeader(file, { sheet: 'Deals' })).toEqual(['Deal', 'Amount']);
    // A tab that was asked for: nothing to warn of.
    expect(await problemsOf(file, sheet)).toEqual([]);
    await expect(readCsvHeader(file, { sheet: 'Contacts' })).rejects.toThrow(
      'three-tabs.xlsx has no tab "Contacts"; its tabs are "Summary", "Q3 Contacts", "Deals".',
    );
    // A CSV file has no tabs: naming one is a mistake worth saying.
    const csv = path.join(dir, 'contacts.csv');
    fs.writeFileSync(csv, 'Email\nada@engines.example\n');
    await expect(readCsvHeader(csv, sheet)).rejects.toThrow(
      'contacts.csv is a CSV file, which has no tabs: the sheet "Q3 Contacts" names a tab of an Excel workbook. Leave it out.',
    );
  });

  it('passes over empty first tabs to the first that holds a row, and says the tab it read', async () => {
    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet('Sheet1');
    const data = workbook.addWorksheet('Data');
    data.addRow(['Email']);
    data.addRow(['ada@engines.example']);
    workbook.addWorksheet('Pivot').addRow(['Count', 1]);
    const file = path.join(dir, 'blank-first.xlsx');
    await workbook.xlsx.writeFile(file);
    const read: string[] = [];
    const onSheet = (name: string) => read.push(name);
    expect(await readCsvSample(file, 5, () => {}, { onSheet })).toEqual([['Email'], ['ada@engines.example']]);
    // Told again from the sample kept.
    expect(await readCsvHeader(file, { onSheet })).toEqual(['Email']);
    expect(read).toEqual(['Data', 'Data']);
    expect((await problemsOf(file)).map((problem) => problem.reason)).toEqual([
      'the workbook has 3 tabs and only "Data" was read (the others: "Sheet1" (empty), "Pivot"); to read another, name it (--sheet "Pivot" on the command line, "sheet" in the API)',
    ]);
    // A tab named is read even when it is empty; so is the last when every tab is.
    await expect(readCsvHeader(file, { sheet: 'Sheet1' })).rejects.toThrow(
      `The tab "Sheet1" of ${file} is empty: name the tab that holds the export, its header row first.`,
    );
    const blank = new ExcelJS.Workbook();
    blank.addWorksheet('Sheet1');
    blank.addWorksheet('Sheet2');
    const blankFile = path.join(dir, 'blank.xlsx');
    await blank.xlsx.writeFile(blankFile);
    expect(await problemsOf(blankFile)).toEqual([]);
    await expect(readCsvHeader(blankFile)).rejects.toThrow('is empty');
  });

  it('passes over hidden tabs unless one is named', async () => {
    const workbook = new ExcelJS.Workbook();
    const lookups = workbook.addWorksheet('Lookups', { state: 'hidden' });
    lookups.addRow(['Code', 'Label']);
    const leads = workbook.addWorksheet('Leads');
    leads.addRow(['Email']);
    leads.addRow(['ada@engines.example']);
    const file = path.join(dir, 'hidden-tab.xlsx');
    await workbook.xlsx.writeFile(file);
    expect(await workbookTabs(file)).toEqual(['Leads']);
    expect(await readCsvSample(file, 5)).toEqual([['Email'], ['ada@engines.example']]);
    // The one tab a person sees: no other to warn of.
    expect(await problemsOf(file)).toEqual([]);
    expect(await readCsvHeader(file, { sheet: 'Lookups' })).toEqual(['Code', 'Label']);
  });

  it('takes the first row as the header when no row is wider, as in a list of e-mails', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('List');
    for (const email of ['Email', 'ada@engines.example', 'grace@navy.example']) sheet.addRow([email]);
    const file = path.join(dir, 'emails.xlsx');
    await workbook.xlsx.writeFile(file);
    const problems: unknown[] = [];
    const read: string[][] = [];
    for await (const batch of readCsvRecords(file, (problem) => problems.push(problem))) {
      read.push(...batch.map((record) => record.values));
    }
    expect(read).toEqual([['Email'], ['ada@engines.example'], ['grace@navy.example']]);
    expect(problems).toEqual([]);
  });

  it('keeps the first rows of the workbook it last sampled, and reads a changed file again', async () => {
    const file = path.join(dir, 'changing.xlsx');
    const write = async (email: string) => {
      const workbook = new ExcelJS.Workbook();
      const sheet = workbook.addWorksheet('People');
      sheet.addRow(['Email', 'Name']);
      sheet.addRow([email, 'Ada']);
      await workbook.xlsx.writeFile(file);
    };
    await write('ada@engines.example');
    expect(await readCsvSample(file, 2)).toEqual([
      ['Email', 'Name'],
      ['ada@engines.example', 'Ada'],
    ]);
    expect(await readCsvHeader(file)).toEqual(['Email', 'Name']);
    await write('ada.lovelace@engines.example');
    expect(await readCsvSample(file, 5)).toEqual([
      ['Email', 'Name'],
      ['ada.lovelace@engines.example', 'Ada'],
    ]);
  });

  it('leaves no file open and no temporary file behind when only the start is read', async () => {
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('Big');
    sheet.addRow(['Email', 'Name']);
    for (let i = 0; i < 5_000; i++) sheet.addRow([`p${i}@example.com`, `Person ${i}`]);
    const file = path.join(dir, 'big.xlsx');
    await workbook.xlsx.writeFile(file);
    const openFiles = () => fs.readdirSync('/proc/self/fd').length;
    const temporary = () => fs.readdirSync(os.tmpdir()).filter((name) => name.startsWith('tmp-')).length;
    const [filesBefore, temporaryBefore] = [openFiles(), temporary()];
    for (let i = 0; i < 25; i++) expect(await readCsvSample(file, 3)).toHaveLength(3);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(openFiles()).toBeLessThanOrEqual(filesBefore);
    expect(temporary()).toBe(temporaryBefore);
    const { records: read } = await records(file);
    expect(read).toHaveLength(5_001);
    expect(read.at(-1)).toEqual({ line: 5_001, values: ['p4999@example.com', 'Person 4999'] });
  });

  it('refuses what it cannot read, saying what to do instead', async () => {
    const write = (name: string, bytes: Uint8Array) => {
      const file = path.join(dir, name);
      fs.writeFileSync(file, bytes);
      return file;
    };
    const zipStart = [0x50, 0x4b, 0x03, 0x04];
    const ods = new Uint8Array(128);
    ods.set(zipStart);
    ods.set(new TextEncoder().encode('mimetypeapplication/vnd.oasis.opendocument.spreadsheet'), 30);
    expect(await failure(write('list.ods', ods))).toMatch(
      /list\.ods is an OpenDocument spreadsheet \(ODS\), which Lockstep cannot read\. Save it as "Excel Workbook \(\.xlsx\)" or "CSV UTF-8"/,
    );
    expect(await failure(write('old.xls', new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1])))).toMatch(
      /old\.xls is an old Excel workbook \(XLS\), or one protected by a password/,
    );
    // Cut short, as a download that did not finish.
    const whole = fs.readFileSync(path.join(dir, 'contacts.xlsx'));
    expect(await failure(write('cut.xlsx', whole.subarray(0, whole.length / 2)))).toMatch(
      /cut\.xlsx cannot be read as an Excel workbook \(.+\)\. Open it and save it as "Excel Workbook \(\.xlsx\)"/,
    );
  });

  it('tells a workbook from text by its first bytes', () => {
    const bytes = (...values: number[]) => new Uint8Array(values);
    expect(workbookKind(bytes(0x50, 0x4b, 0x03, 0x04, ...new Array(40).fill(0)))).toBe('xlsx');
    expect(workbookKind(bytes(0xd0, 0xcf, 0x11, 0xe0))).toBe('xls');
    expect(workbookKind(new TextEncoder().encode('PK,Email\n1,a@b.example'))).toBeUndefined();
    expect(workbookKind(bytes())).toBeUndefined();
  });

  it('writes cells as a CSV export would', () => {
    expect(cellText(null)).toBe('');
    // Numbers to the 15 significant digits Excel keeps and shows.
    expect(cellText(0.1 + 0.2)).toBe('0.3');
    expect(cellText(1234.56)).toBe('1234.56');
    expect(cellText(4915112345678)).toBe('4915112345678');
    expect(cellText(123456789012345680)).toBe('123456789012346000');
    expect(cellText(-2 / 3)).toBe('-0.666666666666667');
    expect(cellText(false)).toBe('FALSE');
    expect(cellText(new Date(Date.UTC(2024, 11, 31, 23, 59, 30)))).toBe('2024-12-31 23:59:30');
    expect(cellText({ formula: 'A1', result: { error: '#REF!' } } as ExcelJS.CellValue)).toBe('');
    expect(cellText({ sharedFormula: 'A1', result: 'Ada' } as ExcelJS.CellValue)).toBe('Ada');
  });
});
