import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseKinds } from '../../test/databases.ts';
import { createTestApp, type TestApp } from '../../test/harness.ts';
import { CsvParser } from './import.csv-parser.ts';
import { workbookFromCsv, zebraDefinitionInForce, zebraFile } from './import.test-support.ts';
import { removeAbandonedUploads } from './import.uploads.ts';

const EXAMPLES = path.resolve(import.meta.dirname, '../../../docs/examples');

interface Run {
  id: string;
  kind: string;
  fileName: string;
  status: string;
  progress: { phase: string; rowsRead: number; rowsMerged: number; rowsToMerge: number } | null;
  report: {
    rowsRead: number;
    created: number;
    updated: number;
    unchanged: number;
    rejected: number;
    problems: { line: number; severity: string; reason: string }[];
  } | null;
  error: string | null;
  requestedBy: string | null;
}

function form(fields: Record<string, string>, file?: { name: string; text: string | Uint8Array }): FormData {
  const body = new FormData();
  for (const [name, value] of Object.entries(fields)) body.append(name, value);
  if (file) {
    const content = typeof file.text === 'string' ? file.text : new Uint8Array(file.text);
    body.append('file', new Blob([content], { type: 'text/csv' }), file.name);
  }
  return body;
}

/** The first bytes of a workbook (XLSX is a zip archive, XLS an OLE document), then content. */
const workbookBytes = (kind: 'zip' | 'ole') =>
  new Uint8Array([
    ...(kind === 'zip' ? [0x50, 0x4b, 0x03, 0x04] : [0xd0, 0xcf, 0x11, 0xe0]),
    ...new TextEncoder().encode('[Content_Types].xml email,name\n'),
  ]);
const example = (name: string) => ({ name, text: fs.readFileSync(path.join(EXAMPLES, name), 'utf8') });

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lockstep-uploads-test-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
/** Left in the temporary directory before these tests (a server killed mid-import keeps its upload). */
const before = new Set(fs.readdirSync(os.tmpdir()));
const ours = (prefix: string) => () =>
  fs.readdirSync(os.tmpdir()).filter((name) => name.startsWith(prefix) && !before.has(name));
const previewDirs = ours('lockstep-preview-');
const uploadDirs = ours('lockstep-upload-');

/** The uploads kept on disk, once the import that holds one had a moment to remove it. */
async function uploadsLeft(): Promise<string[]> {
  for (let i = 0; i < 40 && uploadDirs().length > 0; i++) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return uploadDirs();
}

describe.each(databaseKinds)('imports uploaded through the API on %s', (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp(kind, { importMaxBytes: 2 * 1_048_576 });
  });
  afterAll(async () => t?.close());

  async function upload(fields: Record<string, string>, file?: { name: string; text: string | Uint8Array }) {
    return t.app.inject({
      method: 'POST',
      url: '/api/imports',
      headers: await t.as('marketing'),
      payload: form(fields, file),
    });
  }

  async function finished(id: string): Promise<Run> {
    for (let i = 0; i < 200; i++) {
      const response = await t.app.inject({
        method: 'GET',
        url: `/api/imports/${id}`,
        headers: await t.as('viewer'),
      });
      expect(response.statusCode).toBe(200);
      const run = response.json<Run>();
      if (run.status !== 'queued' && run.status !== 'running') return run;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    throw new Error(`import ${id} did not finish`);
  }

  it('imports a HubSpot export in the background, reports each bad row by line, and changes nothing the second time', async () => {
    const started = await upload({ preset: 'hubspot-contacts' }, example('hubspot-contacts.csv'));
    expect(started.statusCode).toBe(202);
    const run = started.json<Run>();
    expect(run).toMatchObject({ kind: 'csv:hubspot-contacts', fileName: 'hubspot-contacts.csv' });
    expect(['queued', 'running']).toContain(run.status);

    const done = await finished(run.id);
    expect(done.status).toBe('done');
    expect(done.report).toMatchObject({ rowsRead: 9, created: 6, updated: 0, unchanged: 0, rejected: 2 });
    expect(done.report?.problems).toContainEqual({
      line: 5,
      severity: 'error',
      reason: 'email "bob@" is not an email address',
    });
    expect(done.progress).toMatchObject({ phase: 'done', rowsRead: 9 });
    const [people] = await t.database.rows<{ n: number }>(
      sql`SELECT count(*)::int AS n FROM people WHERE external_id LIKE 'hubspot:%'`,
    );
    expect(people?.n).toBe(6);

    const again = await finished((await upload({}, example('hubspot-contacts.csv'))).json<Run>().id);
    // No preset given: the columns are recognised as a HubSpot contacts export.
    expect(again.kind).toBe('csv:hubspot-contacts');
    expect(again.report).toMatchObject({ created: 0, updated: 0, unchanged: 6, rejected: 2 });
    expect(await uploadsLeft()).toEqual([]);
  });

  it('lists the latest imports, newest first, with the presets to choose from', async () => {
    const response = await t.app.inject({
      method: 'GET',
      url: '/api/imports',
      headers: await t.as('viewer'),
    });
    expect(response.statusCode).toBe(200);
    const body = response.json<{
      runs: Run[];
      presets: { name: string; label: string }[];
      maxUploadBytes: number;
    }>();
    expect(body.runs.map((run) => [run.fileName, run.status, run.report?.created])).toEqual([
      ['hubspot-contacts.csv', 'done', 0],
      ['hubspot-contacts.csv', 'done', 6],
    ]);
    expect(body.presets).toContainEqual({ name: 'hubspot-contacts', label: 'HubSpot contacts' });
    expect(body.presets).toContainEqual({ name: 'generic', label: 'Plain columns (generic)' });
    expect(body.maxUploadBytes).toBe(2 * 1_048_576);
  });

  it('imports an Excel workbook as the same rows in CSV: the same people and history, problems on the same lines', async () => {
    const csv = example('hubspot-contacts.csv');
    const file = await workbookFromCsv(csv.text, path.join(dir, 'hubspot-contacts.xlsx'));
    const workbook = { name: 'hubspot-contacts.xlsx', text: fs.readFileSync(file) };

    const preview = await t.app.inject({
      method: 'POST',
      url: '/api/imports/preview',
      headers: await t.as('marketing'),
      payload: form({}, workbook),
    });
    expect(preview.statusCode, preview.body).toBe(200);
    const seen = preview.json<{
      headers: string[];
      rows: string[][];
      preset: { name: string } | null;
      notes: string[];
    }>();
    expect(seen.headers).toEqual(csv.text.split('\n')[0]?.split(','));
    expect(seen.preset?.name).toBe('hubspot-contacts');
    expect(seen.rows).toHaveLength(9);
    expect(seen.notes).toEqual([]);
    // Numbers and date cells as text; the date without a zone, as the CSV writes it.
    expect(seen.rows[0]?.slice(0, 7)).toEqual([
      '101',
      'Ada',
      'Lovelace',
      'ada@analytical.example',
      '+44 20 7946 0001',
      'OPEN',
      '2025-04-08 17:19:00',
    ]);
    expect(previewDirs()).toEqual([]);

    // A report saved with its title above the table and a second tab: the page says so before importing.
    const report = new ExcelJS.Workbook();
    const sheet = report.addWorksheet('Leads');
    sheet.getCell('A1').value = 'Leads by Status';
    sheet.getRow(3).values = ['Email', 'First Name', 'Lead Status'];
    sheet.getRow(4).values = ['jo@acme.example', 'Jo', 'Open'];
    report.addWorksheet('Chart data').addRow(['x']);
    const reportFile = path.join(dir, 'report.xlsx');
    await report.xlsx.writeFile(reportFile);
    const reportPreview = await t.app.inject({
      method: 'POST',
      url: '/api/imports/preview',
      headers: await t.as('marketing'),
      payload: form({}, { name: 'report.xlsx', text: fs.readFileSync(reportFile) }),
    });
    expect(reportPreview.json<{ headers: string[]; notes: string[] }>()).toMatchObject({
      headers: ['Email', 'First Name', 'Lead Status'],
      notes: ["left out: row 1 comes above the table, whose header is row 3 (a report's title and filters)"],
      sheets: { tabs: ['Leads', 'Chart data'], read: 'Leads' },
    });

    // The same rows from a workbook change nothing but the one column kept as the file's text
    // (Last Activity Date, now ISO).
    const stored = () =>
      t.database.rows(
        sql`SELECT p.email, p.first_name, p.phone, p.stage, p.stage_entered_at, p.created_at,
                   p.attributes - 'lastActivityAt' AS attributes,
                   (SELECT json_agg(json_build_object('to', st.to_stage, 'at', st.occurred_at) ORDER BY st.seq)
                      FROM stage_transitions st WHERE st.person_id = p.id) AS history
              FROM people p WHERE p.external_id LIKE 'hubspot:%' ORDER BY p.email`,
      );
    const fromCsv = await finished((await upload({}, csv)).json<Run>().id);
    const before = await stored();
    expect(before).toHaveLength(6);
    const fromWorkbook = await finished((await upload({}, workbook)).json<Run>().id);
    expect(fromWorkbook).toMatchObject({ kind: 'csv:hubspot-contacts', fileName: 'hubspot-contacts.xlsx' });
    expect(fromWorkbook.report).toMatchObject({
      rowsRead: 9,
      created: 0,
      updated: 3,
      unchanged: 3,
      rejected: 2,
    });
    expect(await stored()).toEqual(before);
    const [ada] = await t.database.rows<{ at: string }>(
      sql`SELECT attributes->>'lastActivityAt' AS at FROM people WHERE email = 'ada@analytical.example'`,
    );
    expect(ada?.at).toBe('2025-04-21 10:00:00');
    const where = (run: Run) => run.report?.problems.map(({ line, severity }) => ({ line, severity }));
    expect(where(fromWorkbook)).toEqual(where(fromCsv));
    expect(fromWorkbook.report?.problems).toContainEqual({
      line: 5,
      severity: 'error',
      reason: 'email "bob@" is not an email address',
    });
    // The workbook's date cells are read as ISO dates, and the text that is none is named as such.
    expect(fromWorkbook.report?.problems).toContainEqual({
      line: 6,
      severity: 'error',
      reason: 'Create Date "13/45/2025 10:00" is not a date (expected an ISO date such as 2024-03-01)',
    });
    const again = await finished((await upload({}, workbook)).json<Run>().id);
    expect(again.report).toMatchObject({ created: 0, updated: 0, unchanged: 6, rejected: 2 });
    expect(await uploadsLeft()).toEqual([]);
  });

  it('reads the tab of a workbook it is asked for, in the preview and the import', async () => {
    const csv = example('hubspot-contacts.csv');
    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet('Summary').addRow(['Contacts exported', 9]);
    const contacts = workbook.addWorksheet('Contacts');
    for (const { values } of new CsvParser(() => {}).push(csv.text)) contacts.addRow(values);
    const file = path.join(dir, 'two-tabs.xlsx');
    await workbook.xlsx.writeFile(file);
    const twoTabs = { name: 'two-tabs.xlsx', text: fs.readFileSync(file) };
    const preview = async (fields: Record<string, string>) =>
      t.app.inject({
        method: 'POST',
        url: '/api/imports/preview',
        headers: await t.as('marketing'),
        payload: form(fields, twoTabs),
      });

    // The first tab fits no preset, and the second does: the second is shown, with a note, and the
    // tabs to choose from (rather than a note that the others were not read).
    const first = await preview({});
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toMatchObject({
      headers: csv.text.split('\n')[0]?.split(','),
      preset: { name: 'hubspot-contacts' },
      notes: [
        'The tab "Summary" fits no preset; the tab "Contacts" is shown, whose columns are those of a HubSpot contacts export. If it is not the one to import, choose another in the list of tabs.',
      ],
      sheets: { tabs: ['Summary', 'Contacts'], read: 'Contacts' },
    });
    // A tab named is shown as it is.
    expect((await preview({ sheet: 'Summary' })).json()).toMatchObject({
      headers: ['Contacts exported', '9'],
      preset: null,
      notes: [],
      sheets: { tabs: ['Summary', 'Contacts'], read: 'Summary' },
    });
    const chosen = await preview({ sheet: 'contacts' });
    expect(chosen.json()).toMatchObject({
      headers: csv.text.split('\n')[0]?.split(','),
      preset: { name: 'hubspot-contacts' },
      notes: [],
      sheets: { tabs: ['Summary', 'Contacts'], read: 'Contacts' },
    });
    const missing = await preview({ sheet: 'Leads' });
    expect(missing.statusCode).toBe(400);
    expect(missing.json<{ error: { message: string } }>().error.message).toBe(
      'two-tabs.xlsx has no tab "Leads"; its tabs are "Summary", "Contacts".',
    );
    expect(previewDirs()).toEqual([]);

    // The import reads the tab named, and its history says which.
    const run = await finished((await upload({ sheet: 'Contacts' }, twoTabs)).json<Run>().id);
    expect(run).toMatchObject({
      kind: 'csv:hubspot-contacts',
      fileName: 'two-tabs.xlsx, tab "Contacts"',
      report: { rowsRead: 9, rejected: 2 },
    });
    // The rows the CSV file rejects, and no word of the tab left unread: it was named.
    expect(
      run.report?.problems.filter((problem) => problem.severity === 'error').map(({ line }) => line),
    ).toEqual([5, 6]);
    expect(run.report?.problems.filter((problem) => problem.reason.includes('tab'))).toEqual([]);
    // Over the API, with neither tab nor preset, the tab read is the first, and the answer names the other.
    const unnamed = await upload({}, twoTabs);
    expect(unnamed.statusCode).toBe(400);
    expect(unnamed.json<{ error: { message: string } }>().error.message).toBe(
      'No preset fits the columns of two-tabs.xlsx (Contacts exported, 9). Its tab "Contacts" looks like a HubSpot contacts export: send "sheet": "Contacts". Choose a preset, or send a mapping (docs/import-mapping.md).',
    );
    const refused = await upload({ sheet: 'Leads', preset: 'hubspot-contacts' }, twoTabs);
    expect(refused.statusCode).toBe(400);
    expect(refused.json<{ error: { message: string } }>().error.message).toBe(
      'two-tabs.xlsx has no tab "Leads"; its tabs are "Summary", "Contacts".',
    );
    expect(await uploadsLeft()).toEqual([]);
  });

  it('takes a mapping of its own, sent as JSON, with a stage for stage values it does not know', async () => {
    const mapping = JSON.stringify({
      entity: 'people',
      source: 'fairs',
      columns: { email: 'E-mail', fullName: 'Name', companyName: 'Company', stage: 'Status' },
      unknownStage: 'mql',
    });
    const text =
      'Name,E-mail,Company,Status\n' +
      'Maria Sibylla,maria@merian.example,Merian Prints,Very keen\n' +
      'Caroline Herschel,caroline@comets.example,Comets Ltd,new\n' +
      'No Mail,,Nowhere,new\n';
    const run = await finished((await upload({ mapping }, { name: 'fair.csv', text })).json<Run>().id);
    expect(run).toMatchObject({ kind: 'csv:mapping', status: 'done' });
    expect(run.report).toMatchObject({ rowsRead: 3, created: 2, rejected: 1 });
    expect(run.report?.problems[0]).toMatchObject({ line: 4, severity: 'error' });
    const stages = await t.database.rows<{ email: string; stage: string }>(
      sql`SELECT email, stage FROM people WHERE email IN ('maria@merian.example', 'caroline@comets.example')
          ORDER BY email`,
    );
    expect(stages).toEqual([
      { email: 'caroline@comets.example', stage: 'new' },
      { email: 'maria@merian.example', stage: 'mql' },
    ]);
  });

  it('takes a mapping of its own as a field or as a file, as the docs send it, and one data file only', async () => {
    const mapping = JSON.stringify({
      entity: 'people',
      source: 'expo',
      columns: { email: 'E-mail', fullName: 'Name', stage: 'Status' },
    });
    const csv = (email: string) => ({ name: 'expo.csv', text: `Name,E-mail,Status\nAda,${email},mql\n` });
    const post = async (parts: [name: string, value: string | Blob, fileName?: string][]) => {
      const body = new FormData();
      for (const [name, value, fileName] of parts) {
        if (typeof value === 'string') body.append(name, value);
        else body.append(name, value, fileName);
      }
      return t.app.inject({
        method: 'POST',
        url: '/api/imports',
        headers: await t.as('marketing'),
        payload: body,
      });
    };
    const asFile = (text: string) => new Blob([text], { type: 'application/json' });
    const data = (file: { name: string; text: string }) => new Blob([file.text], { type: 'text/csv' });

    // curl -F "mapping=<my-mapping.json" -F file=@expo.csv
    const asField = await upload({ mapping }, csv('field@expo.example'));
    // curl -F mapping=@my-mapping.json -F file=@expo.csv, the mapping after the file too, with a BOM.
    const first = csv('file@expo.example');
    const asFilePart = await post([
      ['mapping', asFile(mapping), 'my-mapping.json'],
      ['file', data(first), first.name],
    ]);
    const last = csv('after@expo.example');
    const fileAfter = await post([
      ['file', data(last), last.name],
      ['mapping', asFile(`\uFEFF${mapping}`), 'my-mapping.json'],
    ]);
    for (const response of [asField, asFilePart, fileAfter]) {
      expect(response.statusCode, response.body).toBe(202);
      const run = await finished(response.json<Run>().id);
      expect(run).toMatchObject({ kind: 'csv:mapping', status: 'done', report: { created: 1, rejected: 0 } });
    }
    const people = await t.database.rows<{ email: string; stage: string }>(
      sql`SELECT email, stage FROM people WHERE email LIKE '%@expo.example' ORDER BY email`,
    );
    expect(people).toEqual([
      { email: 'after@expo.example', stage: 'mql' },
      { email: 'field@expo.example', stage: 'mql' },
      { email: 'file@expo.example', stage: 'mql' },
    ]);

    const other = csv('other@expo.example');
    const refusals = [
      [
        await post([
          ['file', data(first), first.name],
          ['file', data(other), 'other.csv'],
        ]),
        400,
        /Send one file per import/,
      ],
      [
        await post([
          ['mapping', mapping],
          ['mapping', asFile(mapping), 'my-mapping.json'],
          ['file', data(first), first.name],
        ]),
        400,
        /Send the mapping once/,
      ],
      [
        await post([
          ['mapping', asFile(`${mapping}${' '.repeat(1_048_576)}`), 'my-mapping.json'],
          ['file', data(first), first.name],
        ]),
        413,
        /The mapping is larger than 1 MB/,
      ],
    ] as const;
    for (const [response, status, message] of refusals) {
      expect(response.statusCode, response.body).toBe(status);
      expect(response.json<{ error: { message: string } }>().error.message).toMatch(message);
    }
    expect(await uploadsLeft()).toEqual([]);
  });

  it('refuses what it cannot import before accepting it, saying why, and keeps no file', async () => {
    const runsBefore = await t.database.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM import_runs`);
    const refusals = [
      [
        await upload({ preset: 'pipedream' }, example('hubspot-contacts.csv')),
        400,
        /There is no preset "pipedream"/,
      ],
      [
        await upload({}, { name: 'odd.csv', text: 'foo,bar,baz\n1,2,3\n' }),
        400,
        /No preset fits the columns of odd\.csv \(foo, bar, baz\)/,
      ],
      [
        await upload({ mapping: '{"entity":' }, example('hubspot-contacts.csv')),
        400,
        /The mapping is not valid JSON/,
      ],
      [
        await upload(
          { mapping: JSON.stringify({ entity: 'people', source: 'x', columns: { email: 'Mail' } }) },
          example('hubspot-contacts.csv'),
        ),
        400,
        /hubspot-contacts\.csv: some mapped columns are not in the file:\s+columns\.email → "Mail"/,
      ],
      [
        await upload({ preset: 'generic', mapping: '{}' }, example('hubspot-contacts.csv')),
        400,
        /either "preset" or "mapping"/,
      ],
      [await upload({ preset: 'generic' }), 400, /The form has no file/],
      [
        await upload(
          {
            mapping: JSON.stringify({
              entity: 'people',
              source: 'x',
              columns: { email: 'Email' },
              unknownStage: 'limbo',
            }),
          },
          example('hubspot-contacts.csv'),
        ),
        400,
        /unknownStage: "limbo" is not a stage/,
      ],
      [await upload({}, { name: 'empty.csv', text: '' }), 400, /empty\.csv is empty/],
      [
        // A zip archive that is no workbook, and an old XLS (an OLE document).
        await upload({}, { name: 'contacts.xlsx', text: workbookBytes('zip') }),
        400,
        /contacts\.xlsx cannot be read as an Excel workbook[\s\S]*save it as "Excel Workbook \(\.xlsx\)" or "CSV UTF-8"/,
      ],
      [
        await upload({}, { name: 'contacts.xls', text: workbookBytes('ole') }),
        400,
        /contacts\.xls is an old Excel workbook \(XLS\)[\s\S]*which Lockstep cannot read/,
      ],
      [
        await upload({}, { name: 'big.csv', text: `email\n${'someone@example.com\n'.repeat(120_000)}` }),
        413,
        /larger than 2 MB[\s\S]*npx lockstep import csv/,
      ],
    ] as const;
    for (const [response, status, message] of refusals) {
      expect(response.statusCode, response.body).toBe(status);
      expect(response.json<{ error: { message: string } }>().error.message).toMatch(message);
      // The server's temporary directory is not named to the user.
      expect(response.body).not.toContain(os.tmpdir());
    }
    const json = await t.app.inject({
      method: 'POST',
      url: '/api/imports',
      headers: await t.as('marketing'),
      payload: { file: 'email\na@b.example' },
    });
    expect(json.statusCode).toBe(415);
    const preview = await t.app.inject({
      method: 'POST',
      url: '/api/imports/preview',
      headers: await t.as('marketing'),
      payload: form({}, { name: 'contacts.xls', text: workbookBytes('ole') }),
    });
    expect(preview.statusCode).toBe(400);
    expect(preview.json<{ error: { message: string } }>().error.message).toMatch(/is an old Excel workbook/);
    expect(json.json<{ error: { message: string } }>().error.message).toMatch(/multipart\/form-data/);
    const runsAfter = await t.database.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM import_runs`);
    expect(runsAfter).toEqual(runsBefore);
    expect(uploadDirs()).toEqual([]);
  });

  it('previews a file, and imports it with the mapping it suggested, corrected and kept under a name', async () => {
    const text =
      'Record Id,Lead Owner,First Name,Last Name,Email,Company,Lead Status,Created Time,Rating\n' +
      'zcrm_1,Ana Owner,Ada,Lovelace,ada@engines.example,Engines,Contacted,13/02/2025 10:00,Hot\n' +
      'zcrm_2,Ana Owner,Alan,Turing,alan@park.example,Park,Qualified,01/03/2025 09:15,Warm\n' +
      'zcrm_3,Ana Owner,Cut,Sh';
    const preview = await t.app.inject({
      method: 'POST',
      url: '/api/imports/preview',
      headers: await t.as('marketing'),
      payload: form({ truncated: 'true' }, { name: 'zoho.csv', text }),
    });
    expect(preview.statusCode, preview.body).toBe(200);
    const body = preview.json<{
      headers: string[];
      preset: { name: string; matched: string[] } | null;
      rows: string[][];
      suggestions: { people: { columns: Record<string, string>; attributes: string[]; dateFormat: string } };
      stages: { people: { key: string; label: string }[] };
    }>();
    // Zoho's columns, but day-first dates the preset would refuse: this team maps the file itself.
    expect(body.preset?.name).toBe('zoho-leads');
    expect(body.preset?.matched).toHaveLength(9);
    // The cut last line of a truncated start is left out.
    expect(body.rows.map((row) => row[0])).toEqual(['zcrm_1', 'zcrm_2']);
    const suggested = body.suggestions.people;
    expect(suggested.columns).toMatchObject({
      email: 'Email',
      stage: 'Lead Status',
      createdAt: 'Created Time',
    });
    expect(suggested.dateFormat).toBe('DD/MM/YYYY HH:mm');
    expect(body.stages.people.map((stage) => stage.key)).toContain('sal');

    const mapping = {
      entity: 'people',
      source: 'zoho',
      columns: suggested.columns,
      attributes: suggested.attributes,
      dateFormat: suggested.dateFormat,
      valueMaps: { stage: { Contacted: 'sal', Qualified: 'sql' } },
    };
    const whole = text.slice(0, text.lastIndexOf('\n') + 1);
    const run = await finished(
      (
        await upload(
          { mapping: JSON.stringify(mapping), saveAs: ' Zoho  leads ' },
          { name: 'zoho.csv', text: whole },
        )
      ).json<Run>().id,
    );
    expect(run.report).toMatchObject({ rowsRead: 2, created: 2, rejected: 0 });
    expect(run.kind).toBe('csv:saved:Zoho leads');

    // Saved: offered by name, and recognised in the next export with these columns, before the shipped preset.
    const listed = await t.app.inject({ method: 'GET', url: '/api/imports', headers: await t.as('viewer') });
    expect(listed.json<{ presets: { name: string; label: string }[] }>().presets).toContainEqual({
      name: 'saved:Zoho leads',
      label: 'Zoho leads (saved)',
    });
    const again = await t.app.inject({
      method: 'POST',
      url: '/api/imports/preview',
      headers: await t.as('marketing'),
      payload: form({}, { name: 'zoho-next-month.csv', text: whole }),
    });
    expect(again.json<{ preset: { name: string } | null }>().preset).toMatchObject({
      name: 'saved:Zoho leads',
    });
    const next = await finished(
      (await upload({}, { name: 'zoho-next-month.csv', text: whole })).json<Run>().id,
    );
    expect(next).toMatchObject({ kind: 'csv:saved:Zoho leads', status: 'done' });
    expect(next.report).toMatchObject({ created: 0, unchanged: 2 });
    const unknown = await upload({ preset: 'saved:Nobody' }, { name: 'zoho.csv', text: whole });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json<{ error: { message: string } }>().error.message).toBe(
      'There is no saved mapping "Nobody" (saved: Zoho leads).',
    );
    const [ada] = await t.database.rows<{
      stage: string;
      created_at: Date;
      attributes: Record<string, string>;
    }>(sql`SELECT stage, created_at, attributes FROM people WHERE external_id = 'zoho:zcrm_1'`);
    expect(ada).toEqual({
      stage: 'sal',
      created_at: new Date('2025-02-13T10:00:00Z'),
      attributes: { 'Lead Owner': 'Ana Owner', Rating: 'Hot' },
    });
  });

  it('deletes a saved mapping for those who may import: no longer offered nor recognised', async () => {
    const fair = 'Name,E-mail,Firma,Status\nLise Meitner,lise@kernphysik.example,Kernphysik AG,Heiß\n';
    const mapping = {
      entity: 'people',
      source: 'messe',
      columns: { fullName: 'Name', email: 'E-mail', companyName: 'Firma', stage: 'Status' },
      valueMaps: { stage: { Heiß: 'mql' } },
    };
    const saved = await finished(
      (
        await upload(
          { mapping: JSON.stringify(mapping), saveAs: 'Trade fair list' },
          { name: 'messe.csv', text: fair },
        )
      ).json<Run>().id,
    );
    expect(saved).toMatchObject({ kind: 'csv:saved:Trade fair list', status: 'done' });
    const recognised = async () =>
      (
        await t.app.inject({
          method: 'POST',
          url: '/api/imports/preview',
          headers: await t.as('marketing'),
          payload: form({}, { name: 'messe.csv', text: fair }),
        })
      ).json<{ preset: { name: string } | null }>().preset?.name ?? null;
    const offered = async () =>
      (await t.app.inject({ method: 'GET', url: '/api/imports', headers: await t.as('viewer') }))
        .json<{ presets: { name: string }[] }>()
        .presets.map((preset) => preset.name)
        .filter((name) => name.startsWith('saved:'));
    expect(await recognised()).toBe('saved:Trade fair list');
    expect(await offered()).toEqual(['saved:Trade fair list', 'saved:Zoho leads']);

    const remove = async (name: string, headers: Record<string, string>) =>
      t.app.inject({ method: 'DELETE', url: `/api/imports/mappings/${encodeURIComponent(name)}`, headers });
    expect((await remove('Trade fair list', {})).statusCode).toBe(401);
    expect((await remove('Trade fair list', await t.as('viewer'))).statusCode).toBe(403);
    const deleted = await remove('Trade fair list', await t.as('sales'));
    expect(deleted.statusCode, deleted.body).toBe(204);
    expect(deleted.body).toBe('');

    expect(await offered()).toEqual(['saved:Zoho leads']);
    expect(await recognised()).toBeNull();
    const byName = await upload({ preset: 'saved:Trade fair list' }, { name: 'messe.csv', text: fair });
    expect(byName.statusCode).toBe(400);
    const again = await remove('Trade fair list', await t.as('marketing'));
    expect(again.statusCode).toBe(404);
    expect(again.json<{ error: { code: string; message: string } }>().error).toMatchObject({
      code: 'not_found',
      message: 'There is no saved mapping "Trade fair list" (saved: Zoho leads).',
    });
    // What was imported with it stays.
    const [lise] = await t.database.rows<{ stage: string }>(
      sql`SELECT stage FROM people WHERE external_id IS NULL AND email = 'lise@kernphysik.example'`,
    );
    expect(lise?.stage).toBe('mql');
  });

  it("reads a spreadsheet's CSV: semicolons, and Windows-1252 rather than UTF-8", async () => {
    // What Excel on a German Windows saves: ß is the single byte DF.
    const bytes = Buffer.from(
      'Name;E-mail;Firma;Status\r\nLise Meitner;lise@excel.example;Kernphysik AG;Heiß\r\n',
      'latin1',
    );
    expect(bytes.includes(0xdf)).toBe(true);
    const preview = await t.app.inject({
      method: 'POST',
      url: '/api/imports/preview',
      headers: await t.as('marketing'),
      payload: form({}, { name: 'excel.csv', text: bytes }),
    });
    expect(preview.json<{ headers: string[]; rows: string[][] }>()).toMatchObject({
      headers: ['Name', 'E-mail', 'Firma', 'Status'],
      rows: [['Lise Meitner', 'lise@excel.example', 'Kernphysik AG', 'Heiß']],
    });
    const mapping = {
      entity: 'people',
      source: 'excel',
      columns: { fullName: 'Name', email: 'E-mail', companyName: 'Firma' },
      attributes: ['Status'],
    };
    const run = await finished(
      (await upload({ mapping: JSON.stringify(mapping) }, { name: 'excel.csv', text: bytes })).json<Run>().id,
    );
    expect(run.report).toMatchObject({ created: 1, rejected: 0 });
    const [lise] = await t.database.rows<{ first_name: string; attributes: Record<string, string> }>(
      sql`SELECT first_name, attributes FROM people WHERE email = 'lise@excel.example'`,
    );
    expect(lise).toEqual({ first_name: 'Lise', attributes: { Status: 'Heiß' } });
  });

  it('says an import was interrupted when the process running it went silent', async () => {
    const [row] = await t.database.rows<{ id: string }>(
      sql`INSERT INTO import_runs (kind, file_name, started_at, heartbeat_at)
          VALUES ('csv:generic', 'lost.csv', now() - interval '5 minutes', now() - interval '2 minutes')
          RETURNING id`,
    );
    const [alive] = await t.database.rows<{ id: string }>(
      sql`INSERT INTO import_runs (kind, file_name, started_at, heartbeat_at)
          VALUES ('csv:generic', 'elsewhere.csv', now() - interval '5 minutes', now() - interval '5 seconds')
          RETURNING id`,
    );
    const status = async (id: string) =>
      (
        await t.app.inject({ method: 'GET', url: `/api/imports/${id}`, headers: await t.as('viewer') })
      ).json<Run>().status;
    expect(await status(row!.id)).toBe('interrupted');
    // Another server's import, heard from a few seconds ago, is still running.
    expect(await status(alive!.id)).toBe('running');
    await t.database.rows(sql`DELETE FROM import_runs WHERE id IN (${row!.id}, ${alive!.id})`);
  });

  it('keeps answering others while a large file merges', async () => {
    const rows = Array.from(
      { length: 20_000 },
      (_, i) =>
        `lead${i}@company${i % 500}.example,Lead ${i},company${i % 500}.example,${i % 3 ? 'new' : 'mql'}`,
    );
    const text = `email,name,website,stage\n${rows.join('\n')}\n`;
    // The longest the server went without running a timer while the file was imported.
    let longestGap = 0;
    let last = performance.now();
    const ticks = setInterval(() => {
      const now = performance.now();
      longestGap = Math.max(longestGap, now - last);
      last = now;
    }, 10);
    try {
      const run = await finished(
        (await upload({ preset: 'generic' }, { name: 'many.csv', text })).json<Run>().id,
      );
      expect(run.report).toMatchObject({ rowsRead: 20_000, created: 20_000, rejected: 0 });
      const merging = (run.report as unknown as { seconds: { merging: number } }).seconds.merging * 1000;
      // On PGlite the statements run on the server's thread: without a pause after each statement,
      // the whole merge (four batches of 5,000 there) would be one gap, longer than the merge.
      // With it, the longest gap is one statement or one chunk of the file read (about half).
      if (kind === 'pglite') expect(longestGap).toBeLessThan(merging * 0.8);
    } finally {
      clearInterval(ticks);
    }
  });

  it('stops an import at its next batch when the server shuts down, and says how to complete it', async () => {
    const other = await createTestApp(kind);
    try {
      const rows = Array.from({ length: 30_000 }, (_, i) => `stop${i}@company${i % 700}.example,Lead ${i}`);
      const started = await other.app.inject({
        method: 'POST',
        url: '/api/imports',
        headers: await other.as('marketing'),
        payload: form({ preset: 'generic' }, { name: 'many.csv', text: `email,name\n${rows.join('\n')}\n` }),
      });
      expect(started.statusCode).toBe(202);
      const { id } = started.json<Run>();
      // Shut down once it is under way.
      for (let i = 0; i < 400; i++) {
        const [row] = await other.database.rows<{ progress: unknown }>(
          sql`SELECT progress FROM import_runs WHERE id = ${id}`,
        );
        if (row?.progress) break;
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      await other.app.close();
      const [run] = await other.database.rows<{ error: string | null; finished: boolean; created: number }>(
        sql`SELECT error, finished_at IS NOT NULL AS finished, created FROM import_runs WHERE id = ${id}`,
      );
      expect(run).toMatchObject({ finished: true, created: 0 });
      expect(run?.error).toMatch(/The server was stopped during this import[\s\S]*import the file again/);
      const [people] = await other.database.rows<{ n: number }>(sql`SELECT count(*)::int AS n FROM people`);
      // Whole batches only, never the whole file.
      expect(people!.n).toBeLessThan(30_000);
      expect(people!.n % (kind === 'pglite' ? 5_000 : 100_000)).toBe(0);
    } finally {
      await other.close();
    }
  });

  it('lets marketing, sales and admins import, viewers only follow, and nobody unsigned', async () => {
    const post = async (headers: Record<string, string>) =>
      (
        await t.app.inject({
          method: 'POST',
          url: '/api/imports',
          headers,
          payload: form({ preset: 'hubspot-contacts' }, example('hubspot-contacts.csv')),
        })
      ).statusCode;
    expect(await post({})).toBe(401);
    expect(await post(await t.as('viewer'))).toBe(403);
    expect(await post(await t.as('sales'))).toBe(202);
    expect((await t.app.inject({ method: 'GET', url: '/api/imports' })).statusCode).toBe(401);
    const missing = await t.app.inject({
      method: 'GET',
      url: '/api/imports/00000000-0000-4000-8000-000000000000',
      headers: await t.as('viewer'),
    });
    expect(missing.statusCode).toBe(404);
  });

  // Last: the definition it puts in force would score the other cases' imports.
  it('scores the people an import wrote in the background, so those who meet the definition become MQLs', async () => {
    await zebraDefinitionInForce(t.database.db);
    const started = await upload(
      { mapping: JSON.stringify(zebraFile.mapping) },
      { name: 'titles.csv', text: zebraFile.text },
    );
    expect((await finished(started.json<Run>().id)).report).toMatchObject({ created: 2 });
    const scored = async () =>
      t.database.rows<{ email: string; grade: string; stage: string | null }>(
        sql`SELECT p.email, s.grade, p.stage FROM people p JOIN lead_scores s ON s.person_id = p.id
            WHERE p.email LIKE '%@zoo.example' ORDER BY p.email`,
      );
    await expect.poll(scored, { timeout: 30_000, interval: 250 }).toHaveLength(2);
    await expect
      .poll(async () => (await scored()).find((lead) => lead.email === 'zed@zoo.example'), {
        timeout: 10_000,
      })
      .toEqual({ email: 'zed@zoo.example', grade: 'A', stage: 'mql' });
    expect((await scored())[0]).toMatchObject({ email: 'intern@zoo.example', grade: 'D' });
  }, 60_000);
});

describe('uploads left by a stopped server', () => {
  it('are removed when a server starts: a process gone, an hour old or more', async () => {
    const tmp = fs.mkdtempSync(path.join(dir, 'tmp-'));
    const hourAgo = Date.now() - 61 * 60_000;
    // A pid above Linux's largest (4,194,304) runs nowhere.
    const make = (name: string, mtime: number) => {
      fs.mkdirSync(path.join(tmp, name));
      fs.writeFileSync(path.join(tmp, name, 'export.csv'), 'email\n');
      fs.utimesSync(path.join(tmp, name), mtime / 1000, mtime / 1000);
    };
    make('lockstep-upload-999999999-a1', hourAgo);
    make('lockstep-preview-999999999-b2', hourAgo);
    make('lockstep-upload-999999999-c3', Date.now()); // gone only minutes ago: perhaps another machine's
    make(`lockstep-upload-${process.pid}-d4`, hourAgo); // this process: still importing
    make('lockstep-upload-e5', hourAgo); // not named after a process: not ours to judge
    make('elsewhere-999999999-f6', hourAgo);
    expect((await removeAbandonedUploads(tmp)).sort()).toEqual([
      'lockstep-preview-999999999-b2',
      'lockstep-upload-999999999-a1',
    ]);
    expect(fs.readdirSync(tmp).sort()).toEqual(
      [
        'elsewhere-999999999-f6',
        'lockstep-upload-999999999-c3',
        'lockstep-upload-e5',
        `lockstep-upload-${process.pid}-d4`,
      ].sort(),
    );
  });
});
