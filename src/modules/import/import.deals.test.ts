import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../../db/client.ts';
import { fixedClock } from '../../shared/clock.ts';
import { loadMappingFile } from './import.mapping.ts';
import { loadPreset } from './import.presets.ts';
import { importCsvFile } from './import.service.ts';
import { emptyImportTables, importTestTargets, query } from './import.test-support.ts';

const EXAMPLES = path.resolve(import.meta.dirname, '../../../docs/examples');
const example = (name: string) => path.join(EXAMPLES, name);
const clock = fixedClock(new Date('2026-01-15T12:00:00Z'));
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lockstep-deals-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
const targets = await importTestTargets('deals');

interface DealRow {
  id: string;
  name: string;
  stage: string;
  amount: number | null;
  currency: string;
  product: string | null;
  opened: string;
  closed: string | null;
  lost: string | null;
  account: string | null;
  owner: string | null;
  person: string | null;
}

async function deals(database: Database): Promise<DealRow[]> {
  return query<DealRow>(
    database,
    `SELECT o.external_id AS id, o.name, o.stage, o.amount::float8 AS amount, o.currency, o.product,
            to_char(o.opened_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI') AS opened,
            to_char(o.closed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD') AS closed, o.lost_reason AS lost,
            a.name AS account, u.name AS owner, p.external_id AS person
     FROM opportunities o LEFT JOIN accounts a ON a.id = o.account_id LEFT JOIN users u ON u.id = o.owner_id
     LEFT JOIN people p ON p.id = o.person_id ORDER BY o.external_id`,
  );
}

async function tableCounts(database: Database) {
  const [row] = await query<Record<string, number>>(
    database,
    `SELECT (SELECT count(*) FROM opportunities)::int AS deals,
            (SELECT count(*) FROM opportunity_transitions)::int AS "dealMoves",
            (SELECT count(*) FROM accounts)::int AS accounts, (SELECT count(*) FROM users)::int AS users,
            (SELECT count(*) FROM people)::int AS people, (SELECT count(*) FROM stage_transitions)::int AS "leadMoves"`,
  );
  return row;
}

const hubspotDeals = (database: Database) =>
  importCsvFile(database, {
    file: example('hubspot-deals.csv'),
    mapping: loadPreset('hubspot-deals'),
    clock,
  });

for (const target of targets) {
  describe.skipIf(target.skipped !== undefined)(`deals import on ${target.name}`, () => {
    let database: Database;
    beforeAll(async () => {
      database = await target.open();
    });
    beforeEach(async () => {
      await emptyImportTables(database);
    });
    afterAll(() => target.dispose());

    it('imports the HubSpot deals example with the preset: accounts, owners, the person, and each bad row by line', async () => {
      // The contacts example first: Grace (hubspot:102, an SQL) and the companies 9001 and 9002.
      await importCsvFile(database, {
        file: example('hubspot-contacts.csv'),
        mapping: loadPreset('hubspot-contacts'),
        clock,
      });
      const before = await tableCounts(database);
      const report = await hubspotDeals(database);
      expect(report).toMatchObject({
        rowsRead: 11,
        created: 6,
        updated: 0,
        unchanged: 0,
        rejected: 4,
        superseded: 1,
        warnings: 2,
        // 9001, 9002, Bletchley Park and 9003 (IBM Research) came with the contacts
        accountsCreated: 0,
        // six first stages, and Grace's sql → opportunity
        transitionsCreated: 7,
      });
      expect(report.problems.map((p) => [p.line, p.severity, p.reason])).toEqual([
        [
          3,
          'warning',
          'skipped: line 11 has the same external id "hubspot:5002" and comes later in the file, so line 11 is imported instead',
        ],
        [6, 'warning', 'no account (no company id, domain or name): kept without one'],
        [7, 'error', 'Amount "twelve thousand" is not an amount (expected an amount such as 1,234.56)'],
        [8, 'error', 'Create Date "2025-13-45" is not a date (expected MM/DD/YYYY HH:mm)'],
        [
          9,
          'error',
          'Deal Stage "Verbal Yes" is not a deal stage; map it in valueMaps.stage (stages: prospecting, qualified, proposal, negotiation, won, lost), or set unknownStage',
        ],
        [12, 'error', 'has no Record ID, so a later import could not find this deal again'],
      ]);
      expect(report.variants).toEqual([
        {
          field: 'product',
          values: [
            { value: 'GTX Pro', count: 2, lines: [2, 6] },
            { value: 'GTXPro', count: 2, lines: [3, 11] },
            { value: 'gtx pro', count: 1, lines: [4] },
            { value: 'GTX  Pro', count: 1, lines: [10] },
          ],
        },
        {
          field: 'owner',
          values: [
            { value: 'Jane Doe', count: 3, lines: [2, 3, 11] },
            { value: 'jane doe', count: 1, lines: [6] },
          ],
        },
      ]);
      const rows = await deals(database);
      expect(rows).toEqual([
        {
          id: 'hubspot:5001',
          name: 'Analytical Engines - platform',
          stage: 'won',
          amount: 48000,
          currency: 'USD',
          product: 'GTX Pro',
          opened: '2025-02-01 09:00',
          closed: '2025-03-28',
          lost: null,
          account: 'Analytical Engines',
          owner: 'Jane Doe',
          person: null,
        },
        {
          id: 'hubspot:5002',
          name: 'Navy Labs - pilot',
          stage: 'negotiation',
          amount: 12500,
          currency: 'USD',
          product: 'GTXPro',
          opened: '2025-03-20 10:00',
          closed: null,
          lost: null,
          account: 'Navy Labs',
          owner: 'Jane Doe',
          person: 'hubspot:102',
        },
        {
          id: 'hubspot:5003',
          name: 'Navy Labs - expansion',
          stage: 'negotiation',
          amount: 30000.5,
          currency: 'USD',
          product: 'gtx pro',
          opened: '2025-04-01 08:30',
          closed: null,
          lost: null,
          account: 'Navy Labs',
          owner: 'Sam Seller',
          person: null,
        },
        {
          id: 'hubspot:5004',
          name: 'Bletchley - renewal',
          stage: 'lost',
          amount: 9900,
          currency: 'USD',
          product: 'Basic',
          opened: '2025-01-15 14:00',
          closed: '2025-04-30',
          lost: 'Budget',
          account: 'Bletchley Park',
          owner: 'Sam Seller',
          person: null,
        },
        {
          id: 'hubspot:5005',
          name: 'Walk-in deal',
          stage: 'prospecting',
          amount: 5000,
          currency: 'USD',
          product: 'GTX Pro',
          opened: '2025-05-02 09:15',
          closed: null,
          lost: null,
          account: null,
          owner: 'Jane Doe',
          person: null,
        },
        {
          id: 'hubspot:5009',
          name: 'IBM Research - starter',
          stage: 'won',
          amount: 7250,
          currency: 'USD',
          product: 'GTX  Pro',
          opened: '2025-04-20 12:00',
          closed: '2025-05-20',
          lost: null,
          account: 'IBM Research',
          owner: 'Sam Seller',
          person: null,
        },
      ]);
      // Two owners became sales users; the open deal's Close Date is its expected close date.
      expect(await tableCounts(database)).toEqual({
        ...before,
        deals: 6,
        dealMoves: 6,
        users: before!.users! + 2,
        leadMoves: before!.leadMoves! + 1,
      });
      const [grace] = await query<{ stage: string; rule: string; reason: string; at: string }>(
        database,
        `SELECT p.stage, t.rule, t.reason, to_char(t.occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI') AS at
         FROM people p JOIN stage_transitions t ON t.person_id = p.id WHERE p.external_id = 'hubspot:102' ORDER BY t.seq DESC LIMIT 1`,
      );
      expect(grace).toEqual({
        stage: 'opportunity',
        rule: 'opportunity',
        reason: 'deal "Navy Labs - pilot" opened',
        at: '2025-03-20 10:00',
      });
      const [pilot] = await query<{ attributes: Record<string, string> }>(
        database,
        `SELECT attributes FROM opportunities WHERE external_id = 'hubspot:5002'`,
      );
      expect(pilot?.attributes).toEqual({
        expectedCloseDate: '2025-06-30T00:00:00.000Z',
        hubspotPipeline: 'Sales Pipeline',
        lastActivityAt: '4/9/2025 11:00',
      });

      // Importing the same file again changes nothing.
      const after = await tableCounts(database);
      const again = await hubspotDeals(database);
      expect(again).toMatchObject({
        created: 0,
        updated: 0,
        unchanged: 6,
        rejected: 4,
        transitionsCreated: 0,
        accountsCreated: 0,
      });
      expect(await tableCounts(database)).toEqual(after);
      expect(await deals(database)).toEqual(rows);
    });

    it('merges spellings with a value map, reads dates in the mapping time zone, and follows later stage changes', async () => {
      await importCsvFile(database, {
        file: example('hubspot-contacts.csv'),
        mapping: loadPreset('hubspot-contacts'),
        clock,
      });
      const mapping = loadMappingFile(example('hubspot-deals.json'));
      const report = await importCsvFile(database, { file: example('hubspot-deals.csv'), mapping, clock });
      expect(report).toMatchObject({ created: 6, rejected: 4 });
      expect(report.variants.map((group) => group.field)).toEqual(['owner']);
      const rows = await deals(database);
      expect(rows.map((d) => d.product)).toEqual([
        'GTX Pro',
        'GTX Pro',
        'GTX Pro',
        'Basic',
        'GTX Pro',
        'GTX Pro',
      ]);
      // Europe/Berlin is UTC+1 in winter, UTC+2 in summer.
      expect(rows.map((d) => d.opened)).toEqual([
        '2025-02-01 08:00',
        '2025-03-20 09:00',
        '2025-04-01 06:30',
        '2025-01-15 13:00',
        '2025-05-02 07:15',
        '2025-04-20 10:00',
      ]);

      // The CRM moved on: the pilot is won, the walk-in deal won straight from its first stage (a CRM
      // closes a deal from any stage), and a won deal says "lost" (not allowed: won is final).
      const text = fs
        .readFileSync(example('hubspot-deals.csv'), 'utf8')
        .replace('5002,Navy Labs - pilot,Decision Maker Bought-In', '5002,Navy Labs - pilot,closedwon')
        .replace('5005,Walk-in deal,appointmentscheduled', '5005,Walk-in deal,closedwon')
        .replace(
          '5001,Analytical Engines - platform,closedwon',
          '5001,Analytical Engines - platform,closedlost',
        );
      const file = path.join(tmp, 'hubspot-deals-later.csv');
      fs.writeFileSync(file, text);
      const later = await importCsvFile(database, { file, mapping, clock });
      expect(later).toMatchObject({ created: 0, updated: 2, unchanged: 4, transitionsCreated: 3 });
      expect(later.problems.filter((p) => p.reason.startsWith('deal stage'))).toEqual([
        {
          line: 2,
          severity: 'warning',
          reason:
            'deal stage not changed: A deal cannot move from "won" to "lost". Allowed: none (final stage). (the rest of the row was imported)',
        },
      ]);
      const pilot = (await deals(database)).find((d) => d.id === 'hubspot:5002');
      expect(pilot).toMatchObject({ stage: 'won', closed: '2025-06-29' });
      const walkIn = (await deals(database)).find((d) => d.id === 'hubspot:5005');
      // Closed on the export's Close Date (8/1/2025, midnight in Berlin).
      expect(walkIn).toMatchObject({ stage: 'won', closed: '2025-07-31' });
      const history = await query<{ step: string }>(
        database,
        `SELECT coalesce(t.from_stage, '·') || '→' || t.to_stage AS step FROM stage_transitions t
         JOIN people p ON p.id = t.person_id WHERE p.external_id = 'hubspot:102' ORDER BY t.seq`,
      );
      expect(history.map((h) => h.step)).toEqual([
        '·→new',
        'new→mql',
        'mql→sal',
        'sal→sql',
        'sql→opportunity',
        'opportunity→won',
      ]);
    });

    it("takes the account of the deal's person when the row names none, and keeps a deal without either", async () => {
      await importCsvFile(database, {
        file: example('hubspot-contacts.csv'),
        mapping: loadPreset('hubspot-contacts'),
        clock,
      });
      const file = path.join(tmp, 'deals-by-email.csv');
      fs.writeFileSync(
        file,
        'id,deal,stage,amount,email\n' +
          'd1,Grace pilot,won,"1.500,00 €",grace@navy.example\n' +
          'd2,Nobody,lost,200,nobody@else.example\n' +
          'd3,No amount,prospecting,,\n',
      );
      const report = await importCsvFile(database, {
        file,
        mapping: {
          ...loadMappingFile(example('hubspot-deals.json')),
          columns: { externalId: 'id', name: 'deal', stage: 'stage', amount: 'amount', personEmail: 'email' },
          attributes: [],
          numberFormat: '1.234,56',
          dateFormat: 'ISO',
        },
        clock,
      });
      expect(report).toMatchObject({ created: 3, rejected: 0, warnings: 5 });
      expect(report.problems.map((p) => [p.line, p.reason])).toEqual(
        [
          [2, 'a closed deal without a close date: closed when imported'],
          [3, 'a closed deal without a close date: closed when imported'],
          [3, 'no account (no company id, domain or name): kept without one'],
          [3, 'no person nobody@else.example in Lockstep: kept without a person'],
          [4, 'no account (no company id, domain or name): kept without one'],
        ].concat([]),
      );
      const rows = await deals(database);
      expect(rows.map((d) => [d.id, d.stage, d.amount, d.currency, d.account, d.person])).toEqual([
        ['hubspot:d1', 'won', 1500, 'EUR', 'Navy Labs', 'hubspot:102'],
        ['hubspot:d2', 'lost', 200, 'USD', null, null],
        ['hubspot:d3', 'prospecting', null, 'USD', null, null],
      ]);
      // Grace (an SQL) reached opportunity and won with her deal, dated by the import (no dates in the file).
      const [grace] = await query<{ stage: string }>(
        database,
        `SELECT stage FROM people WHERE external_id = 'hubspot:102'`,
      );
      expect(grace?.stage).toBe('won');
    });

    it('reads amounts as the file writes them: a Salesforce report from a European locale', async () => {
      const file = path.join(tmp, 'opportunities-de.csv');
      fs.writeFileSync(
        file,
        [
          'Opportunity Name,Account Name,Stage,Amount,Close Date,Created Date,Opportunity ID',
          'Rollout,Acme GmbH,Closed Won,"EUR 12.000,50",30.06.2026,01.03.2026,006B1',
          'Pilot,Globex AG,Prospecting,"1.500",31.12.2026,02.03.2026,006B2',
          'Upsell,Acme GmbH,Negotiation/Review,"980,00 €",15.12.2026,03.03.2026,006B3',
        ].join('\n'),
      );
      const report = await importCsvFile(database, {
        file,
        mapping: loadPreset('salesforce-opportunities'),
        clock,
      });
      expect(report).toMatchObject({
        created: 3,
        rejected: 0,
        guessedNumberFormat: '1.234,56',
        guessedDateFormat: 'DD.MM.YYYY',
      });
      expect((await deals(database)).map((d) => [d.name, d.stage, d.amount, d.currency, d.closed])).toEqual([
        ['Rollout', 'won', 12000.5, 'EUR', '2026-06-30'],
        ['Pilot', 'prospecting', 1500, 'USD', null],
        ['Upsell', 'negotiation', 980, 'EUR', null],
      ]);
    });

    it('imports the Salesforce example: IsWon settles an unmapped stage, currencies, owners by value map', async () => {
      const report = await importCsvFile(database, {
        file: example('salesforce-opportunities.csv'),
        mapping: loadMappingFile(example('salesforce-opportunities.json')),
        clock,
      });
      expect(report).toMatchObject({
        rowsRead: 8,
        created: 6,
        rejected: 2,
        warnings: 1,
        accountsCreated: 3,
        transitionsCreated: 6,
        variants: [],
      });
      expect(report.problems.map((p) => [p.line, p.reason])).toEqual([
        [6, 'no account (no company id, domain or name): kept without one'],
        [8, 'AMOUNT "-500" is not an amount (expected an amount such as 1234.56)'],
        [9, 'ISCLOSED "maybe" is not true or false'],
      ]);
      const rows = await deals(database);
      expect(
        rows.map((d) => [d.id, d.stage, d.amount, d.currency, d.product, d.owner, d.closed, d.lost]),
      ).toEqual([
        ['salesforce:006A000001', 'won', 120000, 'USD', 'Cloud Suite', 'Xavier Closer', '2024-06-28', null],
        ['salesforce:006A000002', 'negotiation', 15000.5, 'USD', 'Cloud Suite', 'Xavier Closer', null, null],
        ['salesforce:006A000003', 'lost', 8000, 'EUR', 'Cloud Suite', 'Yvonne Hunter', '2024-04-15', 'Price'],
        ['salesforce:006A000004', 'prospecting', 45000, 'USD', 'On-Prem', 'Yvonne Hunter', null, null],
        ['salesforce:006A000005', 'qualified', 2500, 'USD', 'Starter', 'Xavier Closer', null, null],
        ['salesforce:006A000006', 'won', 30000, 'EUR', 'Cloud Suite', 'Xavier Closer', '2024-07-31', null],
      ]);
      expect(rows[0]?.opened).toBe('2024-03-01 14:05');

      // With the preset, the product spellings are reported instead of merged.
      await emptyImportTables(database);
      const preset = await importCsvFile(database, {
        file: example('salesforce-opportunities.csv'),
        mapping: loadPreset('salesforce-opportunities'),
        clock,
      });
      expect(preset.variants).toEqual([
        {
          field: 'product',
          values: [
            { value: 'Cloud Suite', count: 2, lines: [2, 7] },
            { value: 'Cloud  Suite', count: 1, lines: [3] },
            { value: 'cloud suite', count: 1, lines: [4] },
          ],
        },
      ]);
      expect((await deals(database)).map((d) => d.owner)).toEqual([
        '005A00000X',
        '005A00000X',
        '005A00000Y',
        '005A00000Y',
        '005A00000X',
        '005A00000X',
      ]);
    });
  });
}
