import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../../db/client.ts';
import { fixedClock } from '../../shared/clock.ts';
import { lifecycleWithoutNew } from '../lifecycle/lifecycle.test-support.ts';
import { readCsvSample } from './import.csv-reader.ts';
import { loadMappingFile, parseMapping } from './import.mapping.ts';
import { detectPreset, loadPreset } from './import.presets.ts';
import { importCsvFile } from './import.service.ts';
import { emptyImportTables, importTestTargets, query } from './import.test-support.ts';

const EXAMPLES = path.resolve(import.meta.dirname, '../../../docs/examples');
const example = (name: string) => path.join(EXAMPLES, name);
const clock = fixedClock(new Date('2026-01-15T12:00:00Z'));
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lockstep-import-'));
function csvFile(name: string, text: string): string {
  const file = path.join(tmp, name);
  fs.writeFileSync(file, text);
  return file;
}

const targets = await importTestTargets('csv');
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

interface PersonRow {
  external_id: string;
  email: string | null;
  first_name: string | null;
  title: string | null;
  stage: string | null;
  source: string | null;
  account: string | null;
}

async function people(database: Database): Promise<PersonRow[]> {
  return query<PersonRow>(
    database,
    `SELECT p.external_id, p.email, p.first_name, p.title, p.stage, p.source, a.name AS account
     FROM people p LEFT JOIN accounts a ON a.id = p.account_id ORDER BY p.external_id`,
  );
}

async function history(database: Database, externalId: string): Promise<string[]> {
  const rows = await query<{ step: string }>(
    database,
    `SELECT coalesce(t.from_stage, '·') || '→' || t.to_stage || ' ' || to_char(t.occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI') AS step
     FROM stage_transitions t JOIN people p ON p.id = t.person_id WHERE p.external_id = $1 ORDER BY t.seq`,
    [externalId],
  );
  return rows.map((row) => row.step);
}

for (const target of targets) {
  describe.skipIf(target.skipped !== undefined)(`CSV import on ${target.name}`, () => {
    let database: Database;
    beforeAll(async () => {
      database = await target.open();
    });
    afterAll(() => target.dispose());

    describe('a HubSpot contacts export through the hubspot-contacts preset', () => {
      const run = () =>
        importCsvFile(database, {
          file: example('hubspot-contacts.csv'),
          mapping: loadPreset('hubspot-contacts'),
          clock,
        });

      it('imports the good rows, reports the bad ones by line, and keeps the later of two duplicates', async () => {
        await emptyImportTables(database);
        const report = await run();
        expect(report).toMatchObject({
          rowsRead: 9,
          created: 6,
          updated: 0,
          unchanged: 0,
          rejected: 2,
          superseded: 1,
          warnings: 1,
          accountsCreated: 4,
          transitionsCreated: 17,
        });
        expect(report.problems).toEqual([
          {
            line: 2,
            severity: 'warning',
            reason:
              'skipped: line 8 has the same external id "hubspot:101" and comes later in the file, so line 8 is imported instead',
          },
          { line: 5, severity: 'error', reason: 'email "bob@" is not an email address' },
          {
            line: 6,
            severity: 'error',
            reason: 'Create Date "13/45/2025 10:00" is not a date (expected MM/DD/YYYY HH:mm)',
          },
        ]);
        expect(await people(database)).toEqual([
          {
            external_id: 'hubspot:101',
            email: 'ada@analytical.example',
            first_name: 'Ada',
            title: 'Chief Technology Officer',
            stage: 'opportunity',
            source: 'organic_search',
            account: 'Analytical Engines',
          },
          {
            external_id: 'hubspot:102',
            email: 'grace@navy.example',
            first_name: 'Grace',
            title: 'Rear Admiral',
            stage: 'sql',
            source: 'paid_search',
            account: 'Navy Labs',
          },
          {
            external_id: 'hubspot:103',
            email: 'alan.turing@gmail.com',
            first_name: 'Alan',
            title: 'Mathematician',
            stage: 'won',
            source: 'referral',
            account: 'Bletchley Park',
          },
          {
            external_id: 'hubspot:106',
            email: 'dan@navy.example',
            first_name: 'Dan',
            title: 'Analyst',
            stage: 'new',
            source: 'email',
            account: 'Navy Labs',
          },
          {
            external_id: 'hubspot:107',
            email: 'eve@example.org',
            first_name: 'Eve',
            title: null,
            stage: 'new',
            source: 'social',
            account: null,
          },
          {
            external_id: 'hubspot:108',
            email: 'fran@ibm.example',
            first_name: 'Frances "Fran"',
            title: 'Fellow, Research',
            stage: 'won',
            source: 'referral',
            account: 'IBM Research',
          },
        ]);
        expect(await history(database, 'hubspot:102')).toEqual([
          '·→new 2025-03-01 08:00',
          'new→mql 2025-03-02 10:30',
          'mql→sal 2025-03-15 11:00',
          'sal→sql 2025-03-15 11:00',
        ]);
        expect(await history(database, 'hubspot:103')).toEqual([
          '·→mql 2025-01-06 12:00',
          'mql→sal 2025-02-01 15:30',
          'sal→sql 2025-02-01 15:30',
          'sql→opportunity 2025-02-01 15:30',
          'opportunity→won 2025-02-01 15:30',
        ]);
        expect(await history(database, 'hubspot:106')).toEqual(['·→new 2025-02-02 09:15']);
        // Lifecycle stage "other" is no stage: a new lead, from when HubSpot created it.
        expect(await history(database, 'hubspot:107')).toEqual(['·→new 2025-03-03 03:03']);
        const [rule] = await query<{ rule: string; reason: string; actors: number }>(
          database,
          'SELECT min(rule) AS rule, min(reason) AS reason, count(actor_user_id)::int AS actors FROM stage_transitions',
        );
        expect(rule).toEqual({
          rule: 'import:hubspot',
          reason: 'imported from hubspot-contacts.csv',
          actors: 0,
        });
        const [attributes] = await query<{ attributes: Record<string, string> }>(
          database,
          `SELECT attributes FROM people WHERE external_id = 'hubspot:102'`,
        );
        expect(attributes?.attributes).toEqual({
          hubspotLeadStatus: 'IN_PROGRESS',
          hubspotScore: '80',
          hubspotOwner: 'Jane Doe',
          lastActivityAt: '3/20/2025 16:45',
        });
        const [run1] = await query(
          database,
          `SELECT rows_read, created, updated, unchanged, warnings, rows_rejected, problems
           FROM import_runs WHERE id = $1`,
          [report.runId],
        );
        expect(run1).toEqual({
          rows_read: 9,
          created: 6,
          updated: 0,
          unchanged: 0,
          warnings: 1,
          rows_rejected: 2,
          problems: report.problems,
        });
      });

      it('changes nothing when the same file is imported again', async () => {
        const before = await query(
          database,
          'SELECT count(*)::int AS n, max(seq)::int AS last FROM stage_transitions',
        );
        const peopleBefore = await people(database);
        const report = await run();
        expect(report).toMatchObject({
          created: 0,
          updated: 0,
          unchanged: 6,
          rejected: 2,
          accountsCreated: 0,
          transitionsCreated: 0,
        });
        expect(await people(database)).toEqual(peopleBefore);
        expect(
          await query(database, 'SELECT count(*)::int AS n, max(seq)::int AS last FROM stage_transitions'),
        ).toEqual(before);
        expect(
          await query(database, 'SELECT created, updated, unchanged FROM import_runs WHERE id = $1', [
            report.runId,
          ]),
        ).toEqual([{ created: 0, updated: 0, unchanged: 6 }]);
      });

      it('moves a known person further along the funnel, and leaves one that is further already', async () => {
        const file = csvFile(
          'hubspot-later.csv',
          'Record ID,Email,Lifecycle Stage,Became a Marketing Qualified Lead Date,Became a Sales Qualified Lead Date,Job Title\n' +
            '106,dan@navy.example,salesqualifiedlead,3/1/2025 10:00,3/5/2025 10:00,Senior Analyst\n' +
            '102,grace@navy.example,lead,,,\n',
        );
        const report = await importCsvFile(database, {
          file,
          mapping: loadPreset('hubspot-contacts'),
          clock,
        });
        expect(report).toMatchObject({
          created: 0,
          updated: 1,
          unchanged: 1,
          transitionsCreated: 3,
          warnings: 0,
        });
        expect(await history(database, 'hubspot:106')).toEqual([
          '·→new 2025-02-02 09:15',
          'new→mql 2025-03-01 10:00',
          'mql→sal 2025-03-05 10:00',
          'sal→sql 2025-03-05 10:00',
        ]);
        const [dan] = await query<{ stage: string; title: string }>(
          database,
          `SELECT stage, title FROM people WHERE external_id = 'hubspot:106'`,
        );
        expect(dan).toEqual({ stage: 'sql', title: 'Senior Analyst' });
        expect((await people(database)).find((p) => p.external_id === 'hubspot:102')?.stage).toBe('sql');
      });

      it('matches by e-mail across sources, and reports a move the lifecycle refuses while keeping the rest of the row', async () => {
        const file = csvFile(
          'generic-later.csv',
          'id,email,title,stage\nX-1,ALAN.TURING@gmail.com,Codebreaker,lost\n',
        );
        const report = await importCsvFile(database, { file, mapping: loadPreset('generic'), clock });
        expect(report).toMatchObject({
          created: 0,
          updated: 1,
          rejected: 0,
          warnings: 1,
          transitionsCreated: 0,
        });
        expect(report.problems).toEqual([
          {
            line: 2,
            severity: 'warning',
            reason:
              'stage not changed: A lead cannot move from "won" to "lost". Allowed: none (final stage). (the rest of the row was imported)',
          },
        ]);
        const alan = (await people(database)).find((p) => p.email === 'alan.turing@gmail.com');
        expect(alan).toMatchObject({ external_id: 'hubspot:103', title: 'Codebreaker', stage: 'won' });
      });
    });

    it('moves a known lead into a stage no one starts in, and starts a new lead at "new", saying why', async () => {
      await emptyImportTables(database);
      const mapping = loadPreset('generic');
      const first = csvFile(
        'later-1.csv',
        'id,email,stage\nL1,a@acme.example,nurture\nL2,b@acme.example,recycled\n',
      );
      expect(await importCsvFile(database, { file: first, mapping, clock })).toMatchObject({
        created: 2,
        transitionsCreated: 2,
        warnings: 1,
        problems: [
          {
            line: 3,
            severity: 'warning',
            reason:
              'stage "recycled" not recorded: A lead cannot move from a new person to "recycled". Allowed: new, mql, sal, sql, opportunity, won, lost, nurture, disqualified. The person starts at "new".',
          },
        ],
      });
      expect(await history(database, 'csv:L2')).toEqual(['·→new 2026-01-15 12:00']);
      // The nurtured lead is recycled (at the import's time); the new lead cannot go there from "new".
      const second = csvFile(
        'later-2.csv',
        'id,email,stage\nL1,a@acme.example,recycled\nL2,b@acme.example,recycled\n',
      );
      expect(await importCsvFile(database, { file: second, mapping, clock })).toMatchObject({
        created: 0,
        updated: 1,
        transitionsCreated: 1,
        warnings: 1,
        problems: [
          {
            line: 3,
            severity: 'warning',
            reason:
              'stage not changed: A lead cannot move from "new" to "recycled". Allowed: mql, nurture, disqualified. (the rest of the row was imported)',
          },
        ],
      });
      expect(await history(database, 'csv:L1')).toEqual([
        '·→nurture 2026-01-15 12:00',
        'nurture→recycled 2026-01-15 12:00',
      ]);
      expect((await people(database)).map((p) => [p.external_id, p.stage])).toEqual([
        ['csv:L1', 'recycled'],
        ['csv:L2', 'new'],
      ]);
      // A lead already recycled: nothing to say, nothing to change.
      const third = csvFile('later-3.csv', 'id,email,stage\nL1,a@acme.example,recycled\n');
      expect(await importCsvFile(database, { file: third, mapping, clock })).toMatchObject({
        unchanged: 1,
        transitionsCreated: 0,
        warnings: 0,
      });
    });

    it('imports a Salesforce lead export through the salesforce-leads preset', async () => {
      await emptyImportTables(database);
      const report = await importCsvFile(database, {
        file: example('salesforce-leads.csv'),
        mapping: loadPreset('salesforce-leads'),
        clock,
      });
      // Every row lands: the size band 51-200 is read as 51.
      expect(report).toMatchObject({
        rowsRead: 5,
        created: 5,
        rejected: 0,
        warnings: 0,
        accountsCreated: 4,
        transitionsCreated: 5,
      });
      expect((await people(database)).map((p) => [p.external_id, p.stage, p.account, p.source])).toEqual([
        ['salesforce:00Q5e00000AbCdE1', 'mql', 'Apollo Software', 'web'],
        ['salesforce:00Q5e00000AbCdE2', 'sal', 'Structured Systems', 'referral'],
        ['salesforce:00Q5e00000AbCdE3', 'opportunity', 'Substitution Inc', 'web'],
        ['salesforce:00Q5e00000AbCdE4', 'mql', 'Literate Co', 'other'],
        ['salesforce:00Q5e00000AbCdE5', 'disqualified', 'Apollo Software', 'phone_inquiry'],
      ]);
      expect(await history(database, 'salesforce:00Q5e00000AbCdE3')).toEqual([
        '·→opportunity 2024-04-02 00:00',
      ]);
      const accounts = await query(
        database,
        'SELECT name, domain, industry, employees FROM accounts ORDER BY name',
      );
      expect(accounts).toEqual([
        { name: 'Apollo Software', domain: 'apollo.example', industry: 'Software', employees: 250 },
        { name: 'Literate Co', domain: 'literate.example', industry: 'Publishing', employees: 51 },
        { name: 'Structured Systems', domain: 'structured.example', industry: 'Education', employees: 40 },
        { name: 'Substitution Inc', domain: 'substitution.example', industry: 'Software', employees: 1200 },
      ]);
    });

    it('imports a Salesforce report (Export details): its column labels, dates as the user’s locale writes them, the footer left out', async () => {
      await emptyImportTables(database);
      const file = csvFile(
        'salesforce-report.csv',
        [
          '"Lead Owner","First Name","Last Name","Title","Company / Account","Email","Lead Source","Lead Status","Create Date"',
          '"Ana Rep","Jo","Bloggs","VP Sales","Acme Ltd","jo@acme.example","Web","Open - Not Contacted","27/10/2026 14:05"',
          '"Ana Rep","Sam","Li","CTO","Globex","sam@globex.example","Partner Referral","Working - Contacted","3/11/2026 09:30"',
          '"Ben Rep","Kim","Ode","Analyst","Initech","kim@initech.example","Web","Closed - Not Converted","12/11/2026 17:45"',
          '""',
          '""',
          '"Confidential Information - Do Not Distribute"',
          '"Copyright (c) 2000-2026 salesforce.com, inc. All rights reserved."',
          '',
        ].join('\r\n'),
      );
      const [header] = await readCsvSample(file, 1);
      expect(detectPreset(header!)?.name).toBe('salesforce-leads');
      const report = await importCsvFile(database, { file, mapping: loadPreset('salesforce-leads'), clock });
      expect(report).toMatchObject({
        rowsRead: 3,
        created: 3,
        rejected: 0,
        warnings: 2,
        accountsCreated: 3,
        guessedDateFormat: 'DD/MM/YYYY HH:mm',
      });
      expect(report.problems.map((p) => `line ${p.line}: ${p.reason}`)).toEqual([
        'line 7: left out: "Confidential Information - Do Not Distribute" comes after an empty row, as a report\'s footer does',
        'line 8: left out: "Copyright (c) 2000-2026 salesforce.com, inc. All rights reserved." comes after an empty row, as a report\'s footer does',
      ]);
      const rows = await query<{
        email: string;
        stage: string;
        account: string;
        created: string;
        owner: string;
      }>(
        database,
        `SELECT p.email, p.stage, a.name AS account, p.attributes->>'leadOwner' AS owner,
           to_char(p.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI') AS created
         FROM people p LEFT JOIN accounts a ON a.id = p.account_id ORDER BY p.created_at`,
      );
      expect(rows).toEqual([
        {
          email: 'jo@acme.example',
          stage: 'mql',
          account: 'Acme Ltd',
          owner: 'Ana Rep',
          created: '2026-10-27 14:05',
        },
        {
          email: 'sam@globex.example',
          stage: 'sal',
          account: 'Globex',
          owner: 'Ana Rep',
          created: '2026-11-03 09:30',
        },
        {
          email: 'kim@initech.example',
          stage: 'disqualified',
          account: 'Initech',
          owner: 'Ben Rep',
          created: '2026-11-12 17:45',
        },
      ]);
    });

    it('imports a Salesforce formatted report saved as a workbook: its title and filters above the table left out, and its footer', async () => {
      await emptyImportTables(database);
      const workbook = new ExcelJS.Workbook();
      const sheet = workbook.addWorksheet('Leads');
      sheet.getCell('A1').value = 'Leads by Status';
      sheet.getCell('A2').value = 'As of 27/11/2026 09:00';
      sheet.getRow(3).values = ['Filtered By:', 'Lead Status not equal to Converted'];
      // Row 4 empty; the table's header on row 5.
      sheet.getRow(5).values = [
        'Lead Owner',
        'First Name',
        'Last Name',
        'Company / Account',
        'Email',
        'Lead Status',
        'Create Date',
      ];
      const leads: [string, string, string, string, string, string, Date][] = [
        [
          'Ana Rep',
          'Jo',
          'Bloggs',
          'Acme Ltd',
          'jo@acme.example',
          'Open - Not Contacted',
          new Date(Date.UTC(2026, 9, 27, 14, 5)),
        ],
        [
          'Ana Rep',
          'Sam',
          'Li',
          'Globex',
          'sam@globex.example',
          'Working - Contacted',
          new Date(Date.UTC(2026, 10, 3, 9, 30)),
        ],
      ];
      leads.forEach((lead, i) => {
        sheet.getRow(6 + i).values = lead;
        sheet.getCell(`G${6 + i}`).numFmt = 'dd/mm/yyyy hh:mm';
      });
      sheet.getCell('A9').value = 'Confidential Information - Do Not Distribute';
      const file = path.join(tmp, 'salesforce-report.xlsx');
      await workbook.xlsx.writeFile(file);

      const [header] = await readCsvSample(file, 1);
      expect(detectPreset(header!)?.name).toBe('salesforce-leads');
      const report = await importCsvFile(database, { file, mapping: loadPreset('salesforce-leads'), clock });
      expect(report).toMatchObject({
        rowsRead: 2,
        created: 2,
        rejected: 0,
        warnings: 2,
        guessedDateFormat: 'ISO',
      });
      expect(report.problems.map((p) => `line ${p.line}: ${p.reason}`)).toEqual([
        "line 1: left out: rows 1 to 3 come above the table, whose header is row 5 (a report's title and filters)",
        'line 9: left out: "Confidential Information - Do Not Distribute" comes after an empty row, as a report\'s footer does',
      ]);
      expect(
        await query(
          database,
          `SELECT p.email, p.stage, to_char(p.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI') AS created
           FROM people p ORDER BY p.created_at`,
        ),
      ).toEqual([
        { email: 'jo@acme.example', stage: 'mql', created: '2026-10-27 14:05' },
        { email: 'sam@globex.example', stage: 'sal', created: '2026-11-03 09:30' },
      ]);
    });

    it('reads the stage words CRMs use and the lifecycle’s labels with the generic preset, and refuses others by line', async () => {
      await emptyImportTables(database);
      const file = csvFile(
        'stages.csv',
        'email,lifecycle stage\n' +
          'a@one.example,Marketing Qualified Lead\n' +
          'b@two.example,Customer\n' +
          'c@three.example,Subscriber\n' +
          'd@four.example,New lead\n' +
          'e@five.example,sales_accepted_lead\n' +
          'f@six.example,Hot prospect\n',
      );
      const report = await importCsvFile(database, { file, mapping: loadPreset('generic'), clock });
      expect(report).toMatchObject({ rowsRead: 6, created: 5, rejected: 1 });
      expect(report.problems.map((p) => `line ${p.line}: ${p.reason}`)).toEqual([
        'line 7: lifecycle stage "Hot prospect" is not a Lockstep stage; map it in valueMaps.stage (stages: new, mql, sal, sql, opportunity, won, lost, nurture, recycled, disqualified), or set unknownStage',
      ]);
      expect(await query(database, 'SELECT email, stage FROM people ORDER BY email')).toEqual([
        { email: 'a@one.example', stage: 'mql' },
        { email: 'b@two.example', stage: 'won' },
        { email: 'c@three.example', stage: 'new' },
        { email: 'd@four.example', stage: 'new' },
        { email: 'e@five.example', stage: 'sal' },
      ]);
    });

    it('starts a new person the file gives no stage at "new" when it was created, and leaves a known one as they are', async () => {
      await emptyImportTables(database);
      // Someone Lockstep has without a stage or a history (made before people always had one).
      await query(database, `INSERT INTO people (external_id, email) VALUES ('csv:N0', 'n0@acme.example')`);
      const mapping = loadPreset('generic');
      const noStageColumn = csvFile(
        'no-stage.csv',
        'id,email,created at\nN0,n0@acme.example,\nN1,n1@acme.example,2024-02-01 09:30\nN2,n2@acme.example,\n',
      );
      expect(await importCsvFile(database, { file: noStageColumn, mapping, clock })).toMatchObject({
        created: 2,
        transitionsCreated: 2,
        warnings: 0,
      });
      expect(await history(database, 'csv:N0')).toEqual([]);
      expect(await history(database, 'csv:N1')).toEqual(['·→new 2024-02-01 09:30']);
      expect(await history(database, 'csv:N2')).toEqual(['·→new 2026-01-15 12:00']);
      const emptyStageCell = csvFile(
        'empty-stage.csv',
        'id,email,stage\nN1,n1@acme.example,\nN3,n3@acme.example,\n',
      );
      expect(await importCsvFile(database, { file: emptyStageCell, mapping, clock })).toMatchObject({
        created: 1,
        unchanged: 1,
        transitionsCreated: 1,
      });
      expect(await history(database, 'csv:N1')).toEqual(['·→new 2024-02-01 09:30']);
      expect(await history(database, 'csv:N3')).toEqual(['·→new 2026-01-15 12:00']);
      expect((await people(database)).map((p) => [p.external_id, p.stage])).toEqual([
        ['csv:N0', null],
        ['csv:N1', 'new'],
        ['csv:N2', 'new'],
        ['csv:N3', 'new'],
      ]);
      expect(
        await query(
          database,
          'SELECT DISTINCT rule, reason, actor_user_id FROM stage_transitions ORDER BY 2',
        ),
      ).toEqual([
        { rule: 'import:csv', reason: 'imported from empty-stage.csv', actor_user_id: null },
        { rule: 'import:csv', reason: 'imported from no-stage.csv', actor_user_id: null },
      ]);
      // A lifecycle of one's own without "new": the stage a person sent over the API starts in too.
      const own = csvFile('own-lifecycle.csv', 'id,email\nN4,n4@acme.example\n');
      const plain = parseMapping(
        { entity: 'people', source: 'csv', columns: { externalId: 'id', email: 'email' } },
        'plain.json',
      );
      await importCsvFile(database, { file: own, mapping: plain, clock, lifecycle: lifecycleWithoutNew });
      expect(await history(database, 'csv:N4')).toEqual(['·→lead 2026-01-15 12:00']);
    });

    describe('stage history in time order', () => {
      const mapping = parseMapping(
        {
          entity: 'people',
          source: 'crm',
          columns: { externalId: 'id', email: 'email', stage: 'stage', createdAt: 'Created' },
          stageDates: { mql: 'MQL Date', won: 'Won Date' },
          dateFormat: 'DD/MM/YYYY HH:mm',
        },
        'time-order.json',
      );
      const day = (text: string) => text.replace(/ 00:00$/, '');

      it('dates a stage without a date at the latest date before it, and a file whose dates go backwards in order, with a warning', async () => {
        await emptyImportTables(database);
        const file = csvFile(
          'time-order.csv',
          'id,email,stage,Created,MQL Date,Won Date\n' +
            '1,one@acme.example,sql,05/03/2024,06/03/2024,\n' +
            '2,two@acme.example,won,01/03/2024,06/03/2024,04/03/2024\n' +
            '3,three@acme.example,mql,07/03/2024,06/03/2024,\n' +
            '4,four@acme.example,mql,06/03/2024 11:30,06/03/2024,\n',
        );
        const report = await importCsvFile(database, { file, mapping, clock });
        expect(report).toMatchObject({ created: 4, rejected: 0, warnings: 2 });
        expect(report.problems.map((p) => `line ${p.line}: ${p.severity}: ${p.reason}`)).toEqual([
          'line 3: warning: Won Date "04/03/2024" is before MQL Date "06/03/2024": the move to Won is dated 06/03/2024 instead, so the history does not go back in time',
          'line 4: warning: MQL Date "06/03/2024" is before Created "07/03/2024": the move to MQL is dated 07/03/2024 instead, so the history does not go back in time',
        ]);
        // Every step on the 6th: not mql → sal and sal → sql back on the 5th, the day it was created.
        expect((await history(database, 'crm:1')).map(day)).toEqual([
          '·→mql 2024-03-06',
          'mql→sal 2024-03-06',
          'sal→sql 2024-03-06',
        ]);
        expect((await history(database, 'crm:2')).map(day)).toEqual([
          '·→mql 2024-03-06',
          'mql→sal 2024-03-06',
          'sal→sql 2024-03-06',
          'sql→opportunity 2024-03-06',
          'opportunity→won 2024-03-06',
        ]);
        expect((await history(database, 'crm:3')).map(day)).toEqual(['·→mql 2024-03-07']);
        // A date without a time on the day the person was created is that day, not a step back.
        expect(await history(database, 'crm:4')).toEqual(['·→mql 2024-03-06 11:30']);
        const [backwards] = await query(
          database,
          `SELECT count(*)::int AS n FROM (
             SELECT occurred_at < lag(occurred_at) OVER (PARTITION BY person_id ORDER BY seq) AS back
             FROM stage_transitions) t WHERE back`,
        );
        expect(backwards).toEqual({ n: 0 });
      });

      it('never dates the steps appended to a person before their last move in Lockstep', async () => {
        await emptyImportTables(database);
        // In Lockstep since the import, 15 January 2026: the file says nothing of when.
        const first = csvFile(
          'moved-1.csv',
          'id,email,stage,Created,MQL Date,Won Date\n5,five@acme.example,mql,,,\n',
        );
        await importCsvFile(database, { file: first, mapping, clock });
        const second = csvFile(
          'moved-2.csv',
          'id,email,stage,Created,MQL Date,Won Date\n5,five@acme.example,won,,01/03/2024,04/03/2024\n',
        );
        const report = await importCsvFile(database, { file: second, mapping, clock });
        expect(report).toMatchObject({ updated: 1, transitionsCreated: 4, warnings: 1 });
        expect(report.problems.map((p) => `line ${p.line}: ${p.reason}`)).toEqual([
          "line 2: the file dates the move to SAL 2024-03-04, before the person's last move in Lockstep (2026-01-15): dated 2026-01-15 instead, so the history does not go back in time",
        ]);
        expect(await history(database, 'crm:5')).toEqual([
          '·→mql 2026-01-15 12:00',
          'mql→sal 2026-01-15 12:00',
          'sal→sql 2026-01-15 12:00',
          'sql→opportunity 2026-01-15 12:00',
          'opportunity→won 2026-01-15 12:00',
        ]);
      });
    });

    it('keeps a row whose stage date cannot be read, as if that cell were empty, and says so', async () => {
      await emptyImportTables(database);
      const file = csvFile(
        'stage-dates.csv',
        'email,stage,created at,mql date,sql date\n' +
          'ada@engines.example,sql,2024-01-10,2024-02-30,2024-03-05\n',
      );
      const report = await importCsvFile(database, { file, mapping: loadPreset('generic'), clock });
      expect(report).toMatchObject({ rowsRead: 1, created: 1, rejected: 0, warnings: 1 });
      expect(report.problems.map((p) => `line ${p.line}: ${p.severity}: ${p.reason}`)).toEqual([
        'line 2: warning: mql date "2024-02-30" is not a date (expected an ISO date such as 2024-03-01): left out, as if the cell were empty',
      ]);
      const steps = await query<{ step: string }>(
        database,
        `SELECT t.to_stage || ' ' || to_char(t.occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS step
         FROM stage_transitions t ORDER BY t.seq`,
      );
      // As with an empty MQL date: the history starts at the first dated stage.
      expect(steps.map((row) => row.step)).toEqual(['sql 2024-03-05']);
    });

    it('keeps a row whose website or head count cannot be read, without them, and says so', async () => {
      await emptyImportTables(database);
      const file = csvFile(
        'firmographics.csv',
        'email,company,website,employees,Persona\n' +
          'ada@engines.example,Engines,n/a,lots,Builder\n' +
          'alan@park.example,Park,https://www.park.example/about,"1,001-5,000",\n',
      );
      const report = await importCsvFile(database, { file, mapping: loadPreset('generic'), clock });
      expect(report).toMatchObject({ rowsRead: 2, created: 2, rejected: 0, warnings: 2, accountsCreated: 2 });
      expect(report.problems.map((p) => `line ${p.line}: ${p.severity}: ${p.reason}`)).toEqual([
        'line 2: warning: website "n/a" is not a domain: left out',
        'line 2: warning: employees "lots" is not a number of employees: left out',
      ]);
      // A column the preset does not know is kept as a custom field, for fit rules to test.
      expect(await query(database, 'SELECT email, attributes FROM people ORDER BY email')).toEqual([
        { email: 'ada@engines.example', attributes: { Persona: 'Builder' } },
        { email: 'alan@park.example', attributes: {} },
      ]);
      // Without a website, the company is known by the person's e-mail domain.
      expect(await query(database, 'SELECT name, domain, employees FROM accounts ORDER BY name')).toEqual([
        { name: 'Engines', domain: 'engines.example', employees: null },
        { name: 'Park', domain: 'park.example', employees: 1001 },
      ]);
    });

    it('creates accounts from a companies file that contacts then join', async () => {
      await emptyImportTables(database);
      const companies = await importCsvFile(database, {
        file: example('hubspot-companies.csv'),
        mapping: loadMappingFile(example('hubspot-companies.json')),
        clock,
      });
      expect(companies).toMatchObject({ rowsRead: 3, created: 3, accountsCreated: 3, rejected: 0 });
      const contacts = await importCsvFile(database, {
        file: example('hubspot-contacts.csv'),
        mapping: loadPreset('hubspot-contacts'),
        clock,
      });
      // Only the company without an id (Bletchley Park) is new.
      expect(contacts.accountsCreated).toBe(1);
      const accounts = await query(
        database,
        'SELECT external_id, name, domain, employees FROM accounts ORDER BY name',
      );
      expect(accounts).toEqual([
        {
          external_id: 'hubspot:9001',
          name: 'Analytical Engines',
          domain: 'analytical.example',
          employees: 12,
        },
        { external_id: null, name: 'Bletchley Park', domain: null, employees: null },
        { external_id: 'hubspot:9003', name: 'IBM Research', domain: 'ibm.example', employees: 3000 },
        { external_id: 'hubspot:9002', name: 'Navy Labs', domain: 'navy.example', employees: 5000 },
      ]);
      const again = await importCsvFile(database, {
        file: example('hubspot-companies.csv'),
        mapping: loadMappingFile(example('hubspot-companies.json')),
        clock,
      });
      expect(again).toMatchObject({ created: 0, updated: 0, unchanged: 3 });
    });

    it('reports every bad row with its physical line while the good rows land', async () => {
      await emptyImportTables(database);
      const file = csvFile(
        'messy.csv',
        [
          'id,email,name,stage,created at,company',
          '1,ok1@acme.example,Ok One,mql,2024-01-01,Acme',
          '2,bad email,Bad Email,mql,2024-01-01,Acme',
          '3,ok3@acme.example,"Multi',
          'Line",new,2024-01-02,Acme',
          '4,ok4@acme.example,Bad Date,new,2024-02-30,Acme',
          '',
          '5,ok5@acme.example,Short Row,new',
          '6,ok6@acme.example,Bad Stage,hot prospect,2024-01-03,Acme',
          '7,,No Email,mql,2024-01-04,Acme',
          ',,Nobody,mql,2024-01-04,Acme',
          '8,ok8@acme.example,Last Row,won,2024-01-05,Acme',
          '',
        ].join('\r\n'),
      );
      const report = await importCsvFile(database, { file, mapping: loadPreset('generic'), clock });
      expect(report).toMatchObject({ rowsRead: 9, created: 4, rejected: 5, accountsCreated: 1 });
      expect(report.problems.map((p) => `line ${p.line}: ${p.reason}`)).toEqual([
        'line 3: email "bad email" is not an email address',
        'line 6: created at "2024-02-30" is not a date (expected an ISO date such as 2024-03-01)',
        'line 8: has 4 values but the header has 6 columns (a quote or comma out of place?)',
        'line 9: stage "hot prospect" is not a Lockstep stage; map it in valueMaps.stage (stages: new, mql, sal, sql, opportunity, won, lost, nurture, recycled, disqualified), or set unknownStage',
        'line 11: has no id and no email, so a later import could not find this person again',
      ]);
      expect((await people(database)).map((p) => [p.external_id, p.first_name, p.stage])).toEqual([
        ['csv:1', 'Ok', 'mql'],
        ['csv:3', 'Multi', 'new'],
        ['csv:7', 'No', 'mql'],
        ['csv:8', 'Last', 'won'],
      ]);
      // A rejected row leaves nothing behind: no person, no history.
      const [count] = await query(database, 'SELECT count(*)::int AS n FROM stage_transitions');
      expect(count).toEqual({ n: 1 + 1 + 1 + 1 });
    });
  });
}
