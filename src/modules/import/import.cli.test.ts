// `lockstep import …` as a person types it: clear errors before the database is touched, a summary after.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Command } from 'commander';
import { sql } from 'drizzle-orm';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CliError } from '../../cli/database.ts';
import { registerImportCommands } from '../../cli/import.command.ts';
import { type Database, openDatabase, queryRows } from '../../db/client.ts';
import { migrateDatabase } from '../../db/migrate.ts';
import { CsvParser } from './import.csv-parser.ts';
import { parseMapping } from './import.mapping.ts';
import { saveMapping } from './import.mappings.store.ts';
import { workbookFromCsv, zebraDefinitionInForce, zebraFile } from './import.test-support.ts';

const EXAMPLES = path.resolve(import.meta.dirname, '../../../docs/examples');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lockstep-cli-'));

let database: Database;
let opened = 0;
let closed = 0;
beforeAll(async () => {
  database = await openDatabase({ kind: 'pglite', dataDir: 'memory://' }, 'test: import cli');
  await migrateDatabase(database);
});
afterAll(async () => {
  await database.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function run(...args: string[]): Promise<string> {
  const program = new Command().exitOverride();
  registerImportCommands(program, async () => {
    opened++;
    // The command closes what it opened; the test keeps its database for the next case.
    return { ...database, close: async () => void closed++ };
  });
  const output: string[] = [];
  const write = vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    output.push(String(chunk));
    return true;
  });
  try {
    await program.parseAsync(['node', 'lockstep', 'import', ...args]);
  } finally {
    write.mockRestore();
  }
  return output.join('');
}

async function failure(...args: string[]): Promise<string> {
  const before = opened;
  const error = await run(...args).then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(CliError);
  expect(opened).toBe(before);
  return (error as Error).message;
}

describe('lockstep import csv', () => {
  it('says what is wrong with the input before opening the database', async () => {
    expect(await failure('csv', 'nowhere.csv', '--preset', 'hubspot-contacts')).toBe(
      'There is no file nowhere.csv.',
    );
    expect(await failure('csv', 'x.csv')).toBe('There is no file x.csv.');
    expect(await failure('csv', 'x.csv', '--preset', 'generic', '--mapping', 'm.json')).toMatch(
      /Give either --mapping <file.json> or --preset <name>, not both/,
    );
    expect(await failure('csv', 'x.csv', '--preset', 'pipedrive')).toMatch(
      /There is no preset "pipedrive". Presets: generic, hubspot-companies, hubspot-contacts, hubspot-deals, lockstep-accounts, lockstep-opportunities, lockstep-people, pipedrive-deals, pipedrive-people, salesforce-accounts, salesforce-leads, salesforce-opportunities, zoho-leads/,
    );
    const bad = path.join(dir, 'bad.json');
    fs.writeFileSync(bad, JSON.stringify({ entity: 'people', source: 'crm', columns: { emial: 'Email' } }));
    expect(await failure('csv', 'x.csv', '--mapping', bad)).toMatch(/columns: unknown key "emial"/);
    const typo = path.join(dir, 'typo.json');
    fs.writeFileSync(
      typo,
      JSON.stringify({ entity: 'people', source: 'crm', columns: { email: 'E-mail adress' } }),
    );
    expect(await failure('csv', path.join(EXAMPLES, 'salesforce-leads.csv'), '--mapping', typo)).toMatch(
      /columns\.email → "E-mail adress"[\s\S]*The file's headers are: "ID", "FIRSTNAME"/,
    );
  });

  it('imports, closes the database, and prints the counts and the problems', async () => {
    const closedBefore = closed;
    const output = await run(
      'csv',
      path.join(EXAMPLES, 'hubspot-contacts.csv'),
      '--preset',
      'hubspot-contacts',
    );
    expect(closed).toBe(closedBefore + 1);
    expect(output).toMatch(/Imported hubspot-contacts.csv \(csv:hubspot-contacts\)/);
    expect(output).toMatch(/created\s+6\n/);
    expect(output).toMatch(/rejected\s+2\n/);
    expect(output).toContain('line 5: email "bob@" is not an email address');
    expect(output).toContain('line 2: warning: skipped: line 8 has the same external id "hubspot:101"');
  });

  it('prints the whole report as JSON with --json', async () => {
    const output = await run(
      'csv',
      path.join(EXAMPLES, 'hubspot-contacts.csv'),
      '--preset',
      'hubspot-contacts',
      '--json',
    );
    const report = JSON.parse(output) as { unchanged: number; problems: unknown[] };
    expect(report.unchanged).toBe(6);
    expect(report.problems).toHaveLength(3);
  });

  it('imports an Excel workbook the same way, its preset recognised from the first sheet', async () => {
    const csv = fs.readFileSync(path.join(EXAMPLES, 'hubspot-contacts.csv'), 'utf8');
    const file = await workbookFromCsv(csv, path.join(dir, 'contacts.xlsx'));
    const output = await run('csv', file);
    expect(output).toMatch(/Imported contacts.xlsx \(csv:hubspot-contacts\)/);
    // Progress in KB for a file under a megabyte, not "0.0 of 0.0 MB".
    expect(output).toMatch(/reading: [\d,]+ rows, \d+ of [1-9]\d* KB\n/);
    // Each phase starts on a line of its own: matching the 7 rows read without a problem, then writing them.
    expect(output).toMatch(/\nmatching: 7 rows with the records already here\nmerging: 7 of 7 rows\n/);
    expect(output).not.toContain('done:');
    expect(output).toMatch(/rejected\s+2\n/);
    expect(output).toContain('line 5: email "bob@" is not an email address');
    // The three with a Last Activity Date, kept as the file's text, which a workbook writes as ISO.
    expect(output).toMatch(/updated\s+3\n/);
    expect(output).toMatch(/unchanged\s+3\n/);
  });

  it('reads the tab named with --sheet, and says which tabs there are when the first is not an export', async () => {
    const csv = fs.readFileSync(path.join(EXAMPLES, 'hubspot-contacts.csv'), 'utf8');
    const workbook = new ExcelJS.Workbook();
    workbook.addWorksheet('Read me').addRow(['Exported from HubSpot on 1 December']);
    const contacts = workbook.addWorksheet('Contacts');
    for (const { values } of new CsvParser(() => {}).push(csv)) contacts.addRow(values);
    const file = path.join(dir, 'export.xlsx');
    await workbook.xlsx.writeFile(file);
    // (The database is opened for the mappings saved on the Import page, as for any guess.)
    const guessed = await run('csv', file).catch((error: unknown) => error);
    expect(guessed).toBeInstanceOf(CliError);
    expect((guessed as Error).message).toContain(
      'These are the columns of its tab "Read me"; its tab "Contacts" looks like a HubSpot contacts export: give --sheet "Contacts".',
    );
    // No tab looks like an export: the tabs are listed.
    const notes = new ExcelJS.Workbook();
    notes.addWorksheet('Read me').addRow(['Exported from a spreadsheet']);
    notes.addWorksheet('Fairs').addRow(['Fair', 'City']);
    const notesFile = path.join(dir, 'notes.xlsx');
    await notes.xlsx.writeFile(notesFile);
    const unknown = await run('csv', notesFile).catch((error: unknown) => error);
    expect((unknown as Error).message).toContain(
      'These are the columns of its tab "Read me"; to read another, give --sheet <name> (its tabs: "Read me", "Fairs").',
    );
    expect(await failure('csv', file, '--sheet', 'Deals')).toBe(
      'export.xlsx has no tab "Deals"; its tabs are "Read me", "Contacts".',
    );
    const output = await run('csv', file, '--sheet', 'Contacts');
    expect(output).toMatch(/Imported export.xlsx, tab "Contacts" \(csv:hubspot-contacts\)/);
    expect(output).toMatch(/rejected\s+2\n/);
    expect(output).not.toContain('tabs');
    // A CSV file has no tabs to name.
    expect(await failure('csv', path.join(EXAMPLES, 'hubspot-contacts.csv'), '--sheet', 'Contacts')).toMatch(
      /hubspot-contacts.csv is a CSV file, which has no tabs/,
    );
  });
});

describe('lockstep import csv of deals', () => {
  it('imports a HubSpot deals export and names the spellings a value map would merge', async () => {
    const output = await run('csv', path.join(EXAMPLES, 'hubspot-deals.csv'), '--preset', 'hubspot-deals');
    expect(output).toMatch(/created\s+6\n/);
    expect(output).toMatch(/rejected\s+4\n/);
    expect(output).toContain(
      '  product: "GTX Pro" (2 rows: lines 2, 6), "GTXPro" (2 rows: lines 3, 11), "gtx pro" (1 row: line 4), "GTX  Pro" (1 row: line 10)',
    );
    expect(output).toContain(
      '  e.g. "valueMaps": {"product":{"GTX Pro":"GTX Pro"},"owner":{"Jane Doe":"Jane Doe"}}',
    );
    expect(output).toContain('line 9: Deal Stage "Verbal Yes" is not a deal stage');
  });

  it('refuses a bad LOCKSTEP_OPPORTUNITY_STAGES before opening the database', async () => {
    const file = path.join(dir, 'stages.json');
    fs.writeFileSync(file, JSON.stringify({ entry: ['a'], stages: [] }));
    vi.stubEnv('LOCKSTEP_OPPORTUNITY_STAGES', file);
    try {
      expect(
        await failure('csv', path.join(EXAMPLES, 'hubspot-deals.csv'), '--preset', 'hubspot-deals'),
      ).toMatch(
        /The deal pipeline in .*stages.json \(LOCKSTEP_OPPORTUNITY_STAGES\) is not valid:\n {2}stages: /,
      );
    } finally {
      vi.unstubAllEnvs();
    }
  });
});

describe('lockstep import csv without --preset or --mapping', () => {
  /** The output, and the first line on stderr (progress lines follow it with --json). */
  async function guessed(...args: string[]): Promise<{ output: string; note: string }> {
    const notes: string[] = [];
    const note = vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
      notes.push(String(chunk));
      return true;
    });
    try {
      return { output: await run(...args), note: notes.join('').split('\n')[0]! };
    } finally {
      note.mockRestore();
    }
  }

  it('says which preset the header row matches and imports with it', async () => {
    const { output, note } = await guessed('csv', path.join(EXAMPLES, 'hubspot-companies.csv'));
    expect(note).toBe(
      'No --preset or --mapping given: this looks like a HubSpot companies export; ' +
        'using --preset hubspot-companies (matched 6 columns).',
    );
    expect(output).toMatch(/Imported hubspot-companies.csv \(csv:hubspot-companies\)/);
    expect(output).toMatch(/rows read\s+3\n/);
    expect(output).toMatch(/rejected\s+0\n/);
  });

  it('names a plain file generic', async () => {
    const file = path.join(dir, 'plain.csv');
    fs.writeFileSync(file, 'email,first name,company\nplain@acme.example,Plain,Acme\n');
    const { output, note } = await guessed('csv', file, '--json');
    expect(note).toBe(
      'No --preset or --mapping given: this looks like a CSV with plain headers; using --preset generic (matched 3 columns).',
    );
    expect(JSON.parse(output)).toMatchObject({ kind: 'csv:generic', rowsRead: 1, rejected: 0 });
  });

  it('lists the headers, the presets and the saved mappings when none fits', async () => {
    const file = path.join(dir, 'unknown.csv');
    fs.writeFileSync(file, 'foo,bar,baz\n1,2,3\n');
    const closedBefore = closed;
    const error = await run('csv', file).then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect(error).toBeInstanceOf(CliError);
    expect((error as Error).message).toBe(
      'unknown.csv does not look like an export any preset knows; its headers are "foo", "bar", "baz".\n' +
        'Give --preset <name> (presets: generic, hubspot-companies, hubspot-contacts, hubspot-deals, lockstep-accounts, lockstep-opportunities, lockstep-people, pipedrive-deals, ' +
        'pipedrive-people, salesforce-accounts, salesforce-leads, salesforce-opportunities, zoho-leads) or write a mapping for ' +
        '--mapping <file.json> (see docs/import-mapping.md).',
    );
    // The database was read for the mappings saved on the Import page, and closed.
    expect(closed).toBe(closedBefore + 1);
  });

  it('recognises a mapping saved on the Import page, and takes one by name', async () => {
    await saveMapping(
      database,
      'Fairs',
      parseMapping(
        {
          entity: 'people',
          source: 'fairs',
          columns: { email: 'E-mail', fullName: 'Name', companyName: 'Firma' },
        },
        'test',
      ),
      null,
    );
    const file = path.join(dir, 'fair.csv');
    fs.writeFileSync(file, 'Name,E-mail,Firma\nLise Meitner,lise@kernphysik.example,Kernphysik AG\n');
    const stderr = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      const output = await run('csv', file);
      expect(output).toMatch(/Imported fair.csv \(csv:saved:Fairs\)/);
      expect(output).toMatch(/created\s+1\n/);
      expect(stderr.mock.calls.map(([chunk]) => String(chunk)).join('')).toContain(
        'this looks like a Fairs (saved) export; using --preset saved:Fairs',
      );
    } finally {
      stderr.mockRestore();
    }
    expect(await run('csv', file, '--preset', 'saved:Fairs')).toMatch(/unchanged\s+1\n/);
    const error = await run('csv', file, '--preset', 'saved:Expos').then(
      () => undefined,
      (caught: unknown) => caught,
    );
    expect((error as Error).message).toBe('There is no saved mapping "Expos" (saved: Fairs).');
  });
});

describe('lockstep import olist', () => {
  it('refuses a directory without the Olist files before opening the database', async () => {
    expect(await failure('olist', dir)).toMatch(/has no olist_marketing_qualified_leads_dataset.csv/);
  });
});

describe('lockstep import csv, with a lead definition in force', () => {
  it('scores every lead after the import, so imported leads have a grade and those who qualify are MQLs', async () => {
    await zebraDefinitionInForce(database.db);
    const mapping = path.join(dir, 'titles.json');
    fs.writeFileSync(mapping, JSON.stringify(zebraFile.mapping));
    const file = path.join(dir, 'titles.csv');
    fs.writeFileSync(file, zebraFile.text);

    const output = await run('csv', file, '--mapping', mapping);
    const [people] = await queryRows<{ n: number }>(database.db, sql`SELECT count(*)::int AS n FROM people`);
    expect(output).toContain(
      `leads scored        ${people!.n.toLocaleString('en-US').padStart(10)} (under the lead definition in force; 1 became MQLs)`,
    );
    const scored = await queryRows<{ email: string; grade: string; stage: string }>(
      database.db,
      sql`SELECT p.email, s.grade, p.stage FROM people p JOIN lead_scores s ON s.person_id = p.id
          WHERE p.email LIKE '%@zoo.example' ORDER BY p.email`,
    );
    expect(scored).toEqual([
      { email: 'intern@zoo.example', grade: 'D', stage: expect.not.stringMatching(/^mql$/) },
      { email: 'zed@zoo.example', grade: 'A', stage: 'mql' },
    ]);
  });
});
