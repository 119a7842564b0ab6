import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Database } from '../../db/client.ts';
import { fixedClock } from '../../shared/clock.ts';
import { readCsvHeader } from './import.csv-reader.ts';
import { parseMapping } from './import.mapping.ts';
import { detectPreset, loadPreset, presetNames } from './import.presets.ts';
import { importCsvFile } from './import.service.ts';
import { emptyImportTables, importTestTargets, query } from './import.test-support.ts';

const EXAMPLES = path.resolve(import.meta.dirname, '../../../docs/examples');
const example = (name: string) => path.join(EXAMPLES, name);
const clock = fixedClock(new Date('2026-01-15T12:00:00Z'));
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'lockstep-presets-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
function csvFile(name: string, lines: string[]): string {
  const file = path.join(tmp, name);
  fs.writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}
const row = (headers: string) => headers.split(/,\s*/);

/** Header rows of real exports (docs/shared REFERENCE, "CRM export formats"). */
const exports: [preset: string, kind: string, headers: string[]][] = [
  [
    'hubspot-contacts',
    'default columns',
    row('Record ID, First Name, Last Name, Email, Phone Number, Lead Status, Create Date'),
  ],
  [
    'hubspot-contacts',
    'an older export',
    row('Contact ID, First Name, Last Name, Email, Phone Number, Lead Status, Create Date'),
  ],
  [
    'hubspot-companies',
    'default columns, sharing Record ID, Lead Status and Create Date with contacts',
    row('Record ID, Company name, Company Domain Name, Industry, Lead Status, Company owner, Create Date'),
  ],
  [
    'hubspot-companies',
    'an older export',
    row('Company ID, Name, Company Domain Name, Industry, Lead Status, Company owner, Create Date'),
  ],
  [
    'hubspot-deals',
    'default columns',
    row(
      'Record ID, Deal Name, Deal Stage, Pipeline, Amount, Close Date, Deal owner, Create Date, Last Activity Date, Associated Company IDs',
    ),
  ],
  [
    'salesforce-leads',
    'all columns',
    row(
      'Id, FirstName, LastName, Company, Email, Title, Status, LeadSource, Industry, AnnualRevenue, NumberOfEmployees, Country, OwnerId, IsConverted, ConvertedDate, ConvertedOpportunityId, CreatedDate',
    ),
  ],
  [
    'salesforce-leads',
    'a report with Website but no Status dates (an e-mail: not accounts)',
    row('Id, Name, Email, Company, Industry, NumberOfEmployees, Website, Status, LeadSource'),
  ],
  [
    'salesforce-accounts',
    'all columns',
    row(
      'Id, Name, Industry, Website, AnnualRevenue, NumberOfEmployees, BillingCountry, OwnerId, CreatedDate',
    ),
  ],
  [
    'salesforce-opportunities',
    'all columns',
    row(
      'Id, AccountId, Name, StageName, Amount, CloseDate, IsClosed, IsWon, Probability, LeadSource, CampaignId, OwnerId, CreatedDate',
    ),
  ],
  ['pipedrive-people', 'three columns', row('Person - Name, Person - Email (Work), Person - Organization')],
  [
    'zoho-leads',
    'the standard Leads layout, sharing Record Id, First Name, Email, Lead Status and Industry with HubSpot contacts',
    row(
      'Record Id, Lead Owner, Company, First Name, Last Name, Designation, Email, Phone, Mobile, Website, Lead Source, Lead Status, Industry, No. of Employees, Annual Revenue, Rating, Email Opt Out, Created By, Modified By, Created Time, Modified Time, Street, City, State, Zip Code, Country, Description, Salutation, Secondary Email, Last Activity Time',
    ),
  ],
  [
    'zoho-leads',
    'a few columns, five of them also HubSpot contacts columns',
    row('Record Id, First Name, Last Name, Email, Lead Status, Company, Created Time'),
  ],
  [
    'lockstep-people',
    "Lockstep's own people export, with a custom field",
    row(
      'Lockstep ID, External ID, Email, First name, Last name, Title, Phone, Country, Account, Account domain, Source, Campaign, Landing page, Owner, Owner email, Stage, In stage since, Created, Fit grade, Fit points, Engagement points, MQL by the definition, plan',
    ),
  ],
  [
    'lockstep-accounts',
    "Lockstep's own accounts export, with a custom field",
    row(
      'Lockstep ID, External ID, Name, Domain, Industry, Employees, Country, Owner, Owner email, People, Created, tier',
    ),
  ],
  [
    'lockstep-opportunities',
    "Lockstep's own deals export, with a custom field",
    row(
      'Lockstep ID, External ID, Deal, Account, Account domain, Person, Person email, Owner, Owner email, Amount, Currency, Product, Stage, In stage since, Opened, Closed, Lost reason, channel',
    ),
  ],
  [
    'generic',
    "plain columns that Lockstep's export also has, but not all of them",
    row('External ID, Email, First name, Last name, Account domain, Stage, Created'),
  ],
  [
    'pipedrive-deals',
    'with the deal person columns',
    row(
      'Deal - ID, Deal - Title, Deal - Value, Deal - Currency, Deal - Stage, Deal - Status, Deal - Owner, Deal - Organization, Deal - Deal created, Deal - Won time, Deal - Lost reason, Person - ID, Person - Name, Person - Email (Work)',
    ),
  ],
];

describe('guessing the preset from a header row', () => {
  it.each(exports)('takes a %s export (%s) for what it is', (preset, _kind, headers) => {
    expect(detectPreset(headers)?.name).toBe(preset);
  });

  it.each([
    ['hubspot-contacts.csv', 'hubspot-contacts', 21],
    ['hubspot-companies.csv', 'hubspot-companies', 6],
    ['hubspot-deals.csv', 'hubspot-deals', 14],
    ['salesforce-leads.csv', 'salesforce-leads', 18],
    ['salesforce-opportunities.csv', 'salesforce-opportunities', 16],
    ['pipedrive-people.csv', 'pipedrive-people', 8],
    ['zoho-leads.csv', 'zoho-leads', 22],
    ['lockstep-people.csv', 'lockstep-people', 22],
    ['lockstep-opportunities.csv', 'lockstep-opportunities', 17],
    ['lockstep-accounts.csv', 'lockstep-accounts', 11],
  ])('takes docs/examples/%s for a %s export matching %i columns', async (file, preset, count) => {
    const headers = await readCsvHeader(example(file));
    const guess = detectPreset(headers);
    expect(guess?.name).toBe(preset);
    expect(guess?.matched).toHaveLength(count);
  });

  it('tells Zoho CRM leads from HubSpot contacts by the columns only one of them has', () => {
    // Record Id, First Name, Last Name, Email and Lead Status are columns of both: a HubSpot file's
    // Phone Number and Create Date, and a Zoho file's Phone and Created Time, decide.
    const shared = 'Record ID, First Name, Last Name, Email, Lead Status';
    expect(detectPreset(row(`${shared}, Phone Number, Create Date`))).toEqual({
      name: 'hubspot-contacts',
      entity: 'people',
      matched: row(`${shared}, Phone Number, Create Date`),
    });
    expect(detectPreset(row(`${shared}, Phone, Created Time`))).toEqual({
      name: 'zoho-leads',
      entity: 'people',
      matched: row(`${shared}, Phone, Created Time`),
    });
    // Zoho's Industry is HubSpot's too: one shared column more changes nothing.
    expect(detectPreset(row(`${shared}, Industry, Designation, Lead Owner`))?.name).toBe('zoho-leads');
    expect(detectPreset(row(`${shared}, Industry, Job Title, Contact owner`))?.name).toBe('hubspot-contacts');
  });

  it('takes a saved mapping that finds every column it maps, a column mapped twice counting once', () => {
    const fairs = {
      name: 'saved:Fairs',
      mapping: parseMapping(
        {
          entity: 'people',
          source: 'fairs',
          columns: { email: 'E-mail', fullName: 'Name', stage: 'Status' },
          attributes: { fairStatus: 'Status' },
        },
        'test',
      ),
    };
    expect(detectPreset(row('Name, E-mail, Status, Booth'), [fairs])).toEqual({
      name: 'saved:Fairs',
      entity: 'people',
      matched: ['Name', 'E-mail', 'Status'],
    });
    expect(detectPreset(row('Name, E-mail, Booth'), [fairs])).toBeUndefined();
  });

  it('names the entity and the matched headers as the file writes them, in its order', () => {
    expect(
      detectPreset(
        row(
          'Id, Name, Industry, Website, AnnualRevenue, NumberOfEmployees, BillingCountry, OwnerId, CreatedDate',
        ),
      ),
    ).toEqual({
      name: 'salesforce-accounts',
      entity: 'accounts',
      matched: ['Id', 'Name', 'Industry', 'Website', 'NumberOfEmployees', 'BillingCountry'],
    });
  });

  it('ignores case, spacing and punctuation as an import does', () => {
    const upper = row('ID, NAME, STAGENAME, AMOUNT, CLOSEDATE, ISWON, CREATEDDATE');
    expect(detectPreset(upper)?.name).toBe('salesforce-opportunities');
    expect(detectPreset(row('record_id, deal name, DEAL STAGE, amount, close date'))?.name).toBe(
      'hubspot-deals',
    );
    expect(detectPreset(row('deal-id, deal title, deal status, deal value'))?.name).toBe('pipedrive-deals');
    expect(detectPreset(row(' company id ,company NAME,company-domain-name'))?.name).toBe(
      'hubspot-companies',
    );
  });

  it('finds nothing in unrelated headers, or without a column that identifies a record', () => {
    expect(detectPreset(row('foo, bar, baz'))).toBeUndefined();
    expect(detectPreset([])).toBeUndefined();
    // Three HubSpot contacts columns, but neither Record ID nor Email.
    expect(detectPreset(row('First Name, Last Name, Phone Number, Job Title'))).toBeUndefined();
    // Salesforce's Id and Name fit every Salesforce preset and tell none apart.
    expect(detectPreset(row('Id, Name'))).toBeUndefined();
  });

  it('falls back to generic only when no CRM preset fits', () => {
    expect(detectPreset(row('email, first name, company'))).toEqual({
      name: 'generic',
      entity: 'people',
      matched: ['email', 'first name', 'company'],
    });
    // Salesforce's FirstName and Company are plain headers too; Status is Salesforce's own, but one
    // such header is not enough without Salesforce's Id: a trade-fair list has a Status too.
    expect(detectPreset(row('Id, Email, FirstName, Company, Status'))?.name).toBe('salesforce-leads');
    expect(detectPreset(row('Email, FirstName, Company, Status'))?.name).toBe('generic');
    expect(detectPreset(row('Name, E-mail, Firma, Position, Status, Erfasst am'))).toBeUndefined();
  });
});

describe('the shipped presets', () => {
  it('are each guessed from one of the exports above (import.mapping.test.ts checks they are valid)', () => {
    const guessed = new Set(exports.map(([preset]) => preset));
    expect(presetNames().filter((name) => name !== 'generic' && !guessed.has(name))).toEqual([]);
  });
});

const targets = await importTestTargets('presets');

for (const target of targets) {
  describe.skipIf(target.skipped !== undefined)(`the new presets importing exports on ${target.name}`, () => {
    let database: Database;
    /** A file through a shipped preset. */
    const importWith = (preset: string, file: string) =>
      importCsvFile(database, { file, mapping: loadPreset(preset), clock });
    /** docs/examples/<preset>.csv through its preset. */
    const importExample = (preset: string) => importWith(preset, example(`${preset}.csv`));
    /** The warning for a Lockstep ID no record has here, and the keys the row is matched by instead. */
    const unknownId = (id: string, otherwise: string) =>
      `Lockstep ID "${id}" is no one's here (deleted, or from another Lockstep): found by ${otherwise} instead, else added with this id`;
    beforeAll(async () => {
      database = await target.open();
    });
    beforeEach(async () => {
      await emptyImportTables(database);
    });
    afterAll(() => target.dispose());

    const accounts = () =>
      query(
        database,
        'SELECT external_id, name, domain, industry, employees, country FROM accounts ORDER BY name',
      );

    it('hubspot-companies imports docs/examples/hubspot-companies.csv, and again changes nothing', async () => {
      const run = () =>
        importCsvFile(database, {
          file: example('hubspot-companies.csv'),
          mapping: loadPreset('hubspot-companies'),
          mappingName: 'hubspot-companies',
          clock,
        });
      expect(await run()).toMatchObject({
        rowsRead: 3,
        created: 3,
        accountsCreated: 3,
        rejected: 0,
        warnings: 0,
      });
      expect(await accounts()).toEqual([
        {
          external_id: 'hubspot:9001',
          name: 'Analytical Engines',
          domain: 'analytical.example',
          industry: 'COMPUTER_SOFTWARE',
          employees: 12,
          country: 'United Kingdom',
        },
        {
          external_id: 'hubspot:9003',
          name: 'IBM Research',
          domain: 'ibm.example',
          industry: 'RESEARCH',
          employees: 3000,
          country: 'United States',
        },
        {
          external_id: 'hubspot:9002',
          name: 'Navy Labs',
          domain: 'navy.example',
          industry: 'DEFENSE_SPACE',
          employees: 5000,
          country: 'United States',
        },
      ]);
      expect(await run()).toMatchObject({ created: 0, updated: 0, unchanged: 3 });
    });

    it('salesforce-accounts imports a Data Loader export whose accounts the opportunities then join', async () => {
      const file = csvFile('Account.csv', [
        'ID,NAME,INDUSTRY,WEBSITE,ANNUALREVENUE,NUMBEROFEMPLOYEES,BILLINGCOUNTRY,OWNERID,CREATEDDATE',
        '001A000001,Globex,Manufacturing,https://www.globex.example/,50000000,"1,200",United States,005A00000X,2024-01-10T09:00:00.000+0000',
        '001A000002,Initech,Software,initech.example,,80,Germany,005A00000Y,2024-01-11T09:00:00.000+0000',
        '001A000003,Umbrella,Pharmaceuticals,,,,United Kingdom,005A00000Y,2024-01-12T09:00:00.000+0000',
      ]);
      const report = await importWith('salesforce-accounts', file);
      expect(report).toMatchObject({ rowsRead: 3, created: 3, accountsCreated: 3, rejected: 0, warnings: 0 });
      expect(await accounts()).toEqual([
        {
          external_id: 'salesforce:001A000001',
          name: 'Globex',
          domain: 'globex.example',
          industry: 'Manufacturing',
          employees: 1200,
          country: 'United States',
        },
        {
          external_id: 'salesforce:001A000002',
          name: 'Initech',
          domain: 'initech.example',
          industry: 'Software',
          employees: 80,
          country: 'Germany',
        },
        {
          external_id: 'salesforce:001A000003',
          name: 'Umbrella',
          domain: null,
          industry: 'Pharmaceuticals',
          employees: null,
          country: 'United Kingdom',
        },
      ]);
      const opportunities = await importExample('salesforce-opportunities');
      expect(opportunities.accountsCreated).toBe(0);
      const joined = await query<{ account: string; deals: number }>(
        database,
        `SELECT a.name AS account, count(*)::int AS deals FROM opportunities o JOIN accounts a ON a.id = o.account_id
         GROUP BY a.name ORDER BY a.name`,
      );
      expect(joined).toEqual([
        { account: 'Globex', deals: 2 },
        { account: 'Initech', deals: 2 },
        // The example's other two Umbrella deals are bad rows on purpose.
        { account: 'Umbrella', deals: 1 },
      ]);
    });

    it('pipedrive-people imports docs/examples/pipedrive-people.csv: labels as stages, names split', async () => {
      const report = await importExample('pipedrive-people');
      expect(report).toMatchObject({ rowsRead: 2, created: 2, accountsCreated: 2, rejected: 0, warnings: 0 });
      const people = await query(
        database,
        `SELECT p.external_id, p.email, p.first_name, p.last_name, p.phone, p.stage, a.name AS account,
                p.attributes->>'pipedriveOwner' AS owner,
                to_char(p.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI') AS created
         FROM people p LEFT JOIN accounts a ON a.id = p.account_id ORDER BY p.external_id`,
      );
      expect(people).toEqual([
        {
          external_id: 'pipedrive:501',
          email: 'hedy@frequency.example',
          first_name: 'Hedy',
          last_name: 'Lamarr',
          phone: '+49 30 123456',
          stage: 'sql',
          account: 'Frequency Hopping GmbH',
          owner: 'Ken',
          // The example's 31.12.2024 23:30, read in UTC (the example mapping reads it in Berlin time).
          created: '2024-12-31 23:30',
        },
        {
          external_id: 'pipedrive:502',
          email: 'tim@web.example',
          first_name: 'Tim',
          last_name: 'Berners-Lee',
          phone: null,
          stage: 'mql',
          account: 'World Wide Web Foundation',
          owner: 'Ken',
          created: '2025-01-01 08:00',
        },
      ]);
    });

    it('zoho-leads imports docs/examples/zoho-leads.csv: Lead Status as stages, the status kept, and again changes nothing', async () => {
      const run = () => importExample('zoho-leads');
      expect(await run()).toMatchObject({
        rowsRead: 9,
        created: 9,
        rejected: 0,
        warnings: 0,
        // Analytical Engines Ltd is two leads' company.
        accountsCreated: 8,
        // Each lead enters at its stage (all of them are entry stages), on its Created Time.
        transitionsCreated: 9,
      });
      expect(
        await query(
          database,
          `SELECT t.to_stage AS stage, count(*)::int AS leads, min(t.rule) AS rule,
                  bool_and(t.from_stage IS NULL AND t.occurred_at = p.created_at) AS "enteredWhenCreated"
           FROM stage_transitions t JOIN people p ON p.id = t.person_id GROUP BY t.to_stage ORDER BY t.to_stage`,
        ),
      ).toEqual([
        { stage: 'disqualified', leads: 3, rule: 'import:zoho', enteredWhenCreated: true },
        { stage: 'mql', leads: 1, rule: 'import:zoho', enteredWhenCreated: true },
        { stage: 'new', leads: 4, rule: 'import:zoho', enteredWhenCreated: true },
        { stage: 'nurture', leads: 1, rule: 'import:zoho', enteredWhenCreated: true },
      ]);
      const people = await query(
        database,
        `SELECT p.external_id AS id, p.stage, p.source, p.title, a.name AS account, a.domain, a.employees,
                p.attributes->>'zohoLeadStatus' AS status, p.attributes->>'zohoOwner' AS owner,
                to_char(p.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI') AS created
         FROM people p LEFT JOIN accounts a ON a.id = p.account_id ORDER BY p.external_id`,
      );
      expect(people).toEqual([
        {
          // Record Ids without Zoho's zcrm_ prefix are kept as they are.
          id: 'zoho:4876876000000333009',
          stage: 'new',
          source: 'chat',
          title: 'Inventor',
          account: 'Frequency Hopping GmbH',
          domain: 'frequency.example',
          employees: 25,
          // A status of this company's own: a new lead, the status kept.
          status: 'Demo Booked',
          owner: 'Priya Raman',
          created: '2024-03-12 15:00',
        },
        {
          id: 'zoho:zcrm_4876876000000333001',
          stage: 'new',
          source: 'content',
          title: 'CTO',
          account: 'Analytical Engines Ltd',
          domain: 'analytical.example',
          employees: 12,
          status: 'Not Contacted',
          owner: 'Priya Raman',
          created: '2024-03-01 14:05',
        },
        {
          id: 'zoho:zcrm_4876876000000333002',
          stage: 'new',
          source: 'cold_call',
          title: 'Founder',
          account: 'Analytical Engines Ltd',
          domain: 'analytical.example',
          employees: 12,
          status: 'Attempted to Contact',
          owner: 'Priya Raman',
          created: '2024-03-04 10:30',
        },
        {
          id: 'zoho:zcrm_4876876000000333003',
          stage: 'new',
          source: 'events',
          title: 'Rear Admiral',
          account: 'Navy Labs',
          domain: 'navy.example',
          employees: 5000,
          status: 'Contacted',
          owner: 'Daniel Okafor',
          created: '2024-03-05 09:00',
        },
        {
          id: 'zoho:zcrm_4876876000000333004',
          stage: 'mql',
          source: 'referral',
          title: 'Head of Research',
          account: 'Bletchley Park Trust',
          domain: 'bletchley.example',
          employees: 1200,
          status: 'Pre-Qualified',
          owner: 'Daniel Okafor',
          created: '2024-03-06 08:15',
        },
        {
          id: 'zoho:zcrm_4876876000000333005',
          stage: 'nurture',
          source: 'advertising',
          title: 'Professor',
          account: 'Structured Systems BV',
          domain: 'structured.example',
          employees: 40,
          status: 'Contact in Future',
          owner: 'Priya Raman',
          created: '2024-03-07 13:00',
        },
        {
          id: 'zoho:zcrm_4876876000000333006',
          stage: 'disqualified',
          source: 'online_store',
          title: null,
          account: 'Free Prizes Inc',
          // No Website: the e-mail's domain.
          domain: 'prizes.example',
          employees: null,
          status: 'Junk Lead',
          owner: 'Priya Raman',
          created: '2024-03-08 02:11',
        },
        {
          id: 'zoho:zcrm_4876876000000333007',
          stage: 'disqualified',
          source: 'web_research',
          title: 'Author',
          account: 'Literate Co',
          domain: 'literate.example',
          employees: 8,
          status: 'Lost Lead',
          owner: 'Daniel Okafor',
          created: '2024-03-09 17:40',
        },
        {
          id: 'zoho:zcrm_4876876000000333008',
          stage: 'disqualified',
          source: 'partner',
          title: 'Consultant',
          account: 'Hamilton Consulting',
          domain: 'hamilton.example',
          employees: 3,
          status: 'Not Qualified',
          owner: 'Daniel Okafor',
          created: '2024-03-11 11:11',
        },
      ]);
      expect(await run()).toMatchObject({ created: 0, updated: 0, unchanged: 9, transitionsCreated: 0 });
    });

    it("lockstep-accounts imports Lockstep's own accounts export with its custom fields, and again changes nothing", async () => {
      const run = () => importExample('lockstep-accounts');
      const first = await run();
      expect(first).toMatchObject({ rowsRead: 3, created: 3, accountsCreated: 3, rejected: 0, warnings: 3 });
      // Exported by another Lockstep: its ids are no one's here, and the accounts keep them.
      expect(first.problems[2]).toEqual({
        line: 4,
        severity: 'warning',
        reason: unknownId('1a2b3c4d-0000-4000-8000-000000000003', 'external id, domain or name'),
      });
      expect(await accounts()).toEqual([
        {
          external_id: 'hubspot:9001',
          name: 'Analytical Engines',
          domain: 'analytical.example',
          industry: 'Software',
          employees: 12,
          country: 'GB',
        },
        {
          external_id: null,
          name: 'Cobol Systems, Inc.',
          domain: 'cobol.example',
          industry: 'Manufacturing',
          employees: 1200,
          country: 'US',
        },
        {
          external_id: null,
          name: 'Small Shop',
          domain: null,
          industry: 'Retail',
          employees: null,
          country: 'FR',
        },
      ]);
      // The custom-field column (tier), where it holds a value.
      expect(await query(database, 'SELECT name, attributes FROM accounts ORDER BY name')).toEqual([
        { name: 'Analytical Engines', attributes: { tier: 'gold' } },
        { name: 'Cobol Systems, Inc.', attributes: {} },
        { name: 'Small Shop', attributes: {} },
      ]);
      expect(await run()).toMatchObject({ created: 0, updated: 0, unchanged: 3, accountsCreated: 0 });

      // Edited in a spreadsheet: a tier given, one changed; the other custom fields stay.
      await query(database, `UPDATE accounts SET attributes = attributes || '{"plan": "Enterprise"}'`);
      const lines = fs.readFileSync(example('lockstep-accounts.csv'), 'utf8').trimEnd().split('\n');
      const edited = csvFile('accounts-edited.csv', [
        lines[0]!,
        lines[1]!.replace(/,gold$/, ',platinum'),
        `${lines[2]!.replace(/,$/, '')},silver`,
        lines[3]!,
      ]);
      const again = await importWith('lockstep-accounts', edited);
      expect(again).toMatchObject({ created: 0, updated: 2, unchanged: 1, accountsCreated: 0 });
      expect(await query(database, 'SELECT name, attributes FROM accounts ORDER BY name')).toEqual([
        { name: 'Analytical Engines', attributes: { plan: 'Enterprise', tier: 'platinum' } },
        { name: 'Cobol Systems, Inc.', attributes: { plan: 'Enterprise', tier: 'silver' } },
        { name: 'Small Shop', attributes: { plan: 'Enterprise' } },
      ]);
    });

    it('lockstep-accounts finds each account by Lockstep ID first: a name corrected in a spreadsheet is updated, not a new account', async () => {
      await importExample('lockstep-accounts');
      const ids = await query<{ id: string; name: string }>(
        database,
        'SELECT id, name FROM accounts ORDER BY name',
      );
      // Exported by another Lockstep: the accounts keep its ids.
      expect(ids.map((account) => account.id)).toEqual([
        '1a2b3c4d-0000-4000-8000-000000000001',
        '1a2b3c4d-0000-4000-8000-000000000002',
        '1a2b3c4d-0000-4000-8000-000000000003',
      ]);
      const lines = fs.readFileSync(example('lockstep-accounts.csv'), 'utf8').trimEnd().split('\n');
      const edited = csvFile('accounts-renamed.csv', [
        lines[0]!,
        // Small Shop has no domain and no external id: only its Lockstep ID says who it is.
        lines[3]!.replace('Small Shop', 'Small Shop SARL'),
        lines[2]!.replace('1a2b3c4d-0000-4000-8000-000000000002', 'cobol'),
      ]);
      const report = await importWith('lockstep-accounts', edited);
      expect(report).toMatchObject({ rowsRead: 2, created: 0, updated: 1, rejected: 1, accountsCreated: 0 });
      expect(report.problems).toEqual([
        {
          line: 3,
          severity: 'error',
          reason: 'Lockstep ID "cobol" is not an id Lockstep gave (leave it empty for a new account)',
        },
      ]);
      expect(await query(database, 'SELECT id, name FROM accounts ORDER BY name')).toEqual([
        { id: '1a2b3c4d-0000-4000-8000-000000000001', name: 'Analytical Engines' },
        { id: '1a2b3c4d-0000-4000-8000-000000000002', name: 'Cobol Systems, Inc.' },
        { id: '1a2b3c4d-0000-4000-8000-000000000003', name: 'Small Shop SARL' },
      ]);

      // One account twice in a file, once by its Lockstep ID and once by its external id: the later row wins.
      const twice = await importWith(
        'lockstep-accounts',
        csvFile('accounts-twice.csv', [
          lines[0]!,
          lines[1]!.replace(',hubspot:9001,Analytical Engines,', ',,Analytical Engines Ltd,'),
          lines[1]!
            .replace('1a2b3c4d-0000-4000-8000-000000000001,', ',')
            .replace(',Analytical Engines,', ',Analytical Engines plc,'),
        ]),
      );
      expect(twice).toMatchObject({ rowsRead: 2, created: 0, updated: 1, superseded: 1, accountsCreated: 0 });
      expect(twice.problems).toEqual([
        {
          line: 2,
          severity: 'warning',
          reason:
            'skipped: line 3 is the same account already in Lockstep (found by another of its Lockstep ID, external id, domain and name) and comes later in the file, so line 3 is imported instead',
        },
      ]);
      expect(
        await query(database, 'SELECT name FROM accounts WHERE id = $1', [
          '1a2b3c4d-0000-4000-8000-000000000001',
        ]),
      ).toEqual([{ name: 'Analytical Engines plc' }]);
    });

    it("lockstep-opportunities imports Lockstep's own deals export: ids as they are, each deal found again by its Lockstep ID", async () => {
      const report = await importExample('lockstep-opportunities');
      expect(report).toMatchObject({ rowsRead: 3, created: 3, rejected: 0 });
      // Exported by another Lockstep: its ids are no one's here, and the deals keep them.
      const unknownDeal = (id: string) => unknownId(id, 'external id');
      expect(report.problems).toEqual([
        { line: 2, severity: 'warning', reason: unknownDeal('7c1e2a90-1f3b-4d8e-9a61-3b2f0c9d4e01') },
        // The people of these deals were not imported first here.
        {
          line: 2,
          severity: 'warning',
          reason: 'no person ada@analytical.example in Lockstep: kept without a person',
        },
        { line: 3, severity: 'warning', reason: unknownDeal('9d4f6b21-5a7c-4e0f-8b32-6c1d2e3f4a02') },
        {
          line: 3,
          severity: 'warning',
          reason: 'no person grace@cobol.example in Lockstep: kept without a person',
        },
        { line: 4, severity: 'warning', reason: unknownDeal('b2a8c3d4-6e9f-4a1b-9c5d-7e8f9a0b1c03') },
      ]);
      const deals = () =>
        query<{ amount: number }>(
          database,
          `SELECT o.id AS lockstep_id, o.external_id AS id, o.stage, o.amount::float8 AS amount, o.currency,
                  o.attributes->>'channel' AS channel, to_char(o.opened_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI') AS opened
           FROM opportunities o ORDER BY o.opened_at`,
        );
      expect(await deals()).toEqual([
        {
          lockstep_id: '7c1e2a90-1f3b-4d8e-9a61-3b2f0c9d4e01',
          id: 'hubspot:5001',
          stage: 'won',
          amount: 48000,
          currency: 'USD',
          channel: 'partner',
          opened: '2026-02-01 09:00',
        },
        {
          lockstep_id: '9d4f6b21-5a7c-4e0f-8b32-6c1d2e3f4a02',
          id: 'hubspot:5002',
          stage: 'proposal',
          amount: 7250.5,
          currency: 'EUR',
          channel: null,
          opened: '2026-04-02 10:30',
        },
        {
          // Made in Lockstep: no external id, only its Lockstep ID.
          lockstep_id: 'b2a8c3d4-6e9f-4a1b-9c5d-7e8f9a0b1c03',
          id: null,
          stage: 'prospecting',
          amount: 1200,
          currency: 'USD',
          channel: null,
          opened: '2026-05-01 08:00',
        },
      ]);
      expect(await importExample('lockstep-opportunities')).toMatchObject({
        created: 0,
        updated: 0,
        unchanged: 3,
      });

      // Its amount raised in a spreadsheet: the same deal, updated.
      const lines = fs.readFileSync(example('lockstep-opportunities.csv'), 'utf8').trimEnd().split('\n');
      const edited = csvFile('deals-edited.csv', [lines[0]!, lines[3]!.replace(',1200,USD,', ',1500,USD,')]);
      const again = await importWith('lockstep-opportunities', edited);
      expect(again).toMatchObject({ rowsRead: 1, created: 0, updated: 1 });
      expect((await deals()).map((deal) => deal.amount)).toEqual([48000, 7250.5, 1500]);

      // One deal twice in a file, once by its Lockstep ID and once by its external id: the later row wins.
      const [byId, byExternalId] = [
        lines[1]!.replace(',hubspot:5001,', ',,').replace(',48000,', ',50000,'),
        lines[1]!.replace('7c1e2a90-1f3b-4d8e-9a61-3b2f0c9d4e01,', ',').replace(',48000,', ',52000,'),
      ];
      const twice = await importWith(
        'lockstep-opportunities',
        csvFile('deals-twice.csv', [lines[0]!, byId, byExternalId]),
      );
      expect(twice).toMatchObject({ rowsRead: 2, created: 0, updated: 1, superseded: 1 });
      expect(twice.problems).toEqual([
        {
          line: 2,
          severity: 'warning',
          reason:
            'skipped: line 3 is the same deal already in Lockstep (one found by Lockstep ID, the other by external id) and comes later in the file, so line 3 is imported instead',
        },
        {
          line: 3,
          severity: 'warning',
          reason: 'no person ada@analytical.example in Lockstep: kept without a person',
        },
      ]);
      expect((await deals()).map((deal) => deal.amount)).toEqual([52000, 7250.5, 1500]);
    });

    it("lockstep-people imports Lockstep's own export: ids as they are, a formula guard taken off, custom fields kept", async () => {
      const run = () => importExample('lockstep-people');
      const first = await run();
      expect(first).toMatchObject({ rowsRead: 3, created: 3, rejected: 0, warnings: 3, accountsCreated: 2 });
      // Exported by another Lockstep: its ids are no one's here, and the people keep them.
      expect(first.problems[0]).toEqual({
        line: 2,
        severity: 'warning',
        reason: unknownId('0f8c2d3e-3c41-4b6e-9a57-2f7d1c9b0a11', 'external id or email'),
      });
      expect(
        await query(
          database,
          `SELECT p.id AS lockstep_id, p.external_id AS id, p.email, p.title, p.stage, p.source, a.domain, p.attributes,
                  to_char(p.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI') AS created
           FROM people p LEFT JOIN accounts a ON a.id = p.account_id ORDER BY p.created_at`,
        ),
      ).toEqual([
        {
          lockstep_id: '5d3a0b18-6e2f-4c9d-8f71-0b9e4a2c7d33',
          id: 'olist:4a2f9e',
          email: null,
          title: null,
          stage: 'new',
          source: 'paid_search',
          domain: null,
          attributes: {},
          created: '2026-08-01 12:00',
        },
        {
          lockstep_id: '0f8c2d3e-3c41-4b6e-9a57-2f7d1c9b0a11',
          id: 'hubspot:101',
          email: 'ada@analytical.example',
          title: 'Head of Data',
          stage: 'sal',
          source: 'webinar',
          domain: 'analytical.example',
          // The score, owner and campaign columns are Lockstep's to work out, not read.
          attributes: { plan: 'Enterprise', seats: '40' },
          created: '2026-09-14 08:00',
        },
        {
          lockstep_id: '2b1e9c77-8d0a-4f0e-b1c5-6a4e2d8f9c22',
          id: null,
          email: 'grace@cobol.example',
          title: '=Chief Engineer',
          stage: 'mql',
          source: 'organic_search',
          domain: 'cobol.example',
          attributes: {},
          created: '2026-10-20 10:15',
        },
      ]);
      expect(await run()).toMatchObject({ created: 0, updated: 0, unchanged: 3, warnings: 0 });
    });

    it('lockstep-people finds each person by Lockstep ID first: an email corrected in a spreadsheet is updated, not a new person', async () => {
      await importExample('lockstep-people');
      const [header, ada, grace] = fs.readFileSync(example('lockstep-people.csv'), 'utf8').split('\n');
      const edited = csvFile('people-edited.csv', [
        header!,
        // Grace's email corrected, and nothing else of hers: found by her Lockstep ID.
        grace!.replace('grace@cobol.example', 'grace.hopper@cobol.example'),
        // Ada again, later in the file: the later row is the one imported.
        ada!,
        ada!.replace('Head of Data', 'Chief Data Officer'),
        // Not an id Lockstep gives.
        ada!.replace('0f8c2d3e-3c41-4b6e-9a57-2f7d1c9b0a11', '12345'),
      ]);
      const report = await importWith('lockstep-people', edited);
      expect(report).toMatchObject({ rowsRead: 4, created: 0, updated: 2, rejected: 1 });
      expect(report.problems).toEqual([
        {
          line: 3,
          severity: 'warning',
          reason:
            'skipped: line 4 has the same Lockstep ID "0f8c2d3e-3c41-4b6e-9a57-2f7d1c9b0a11" and comes later in the file, so line 4 is imported instead',
        },
        {
          line: 5,
          severity: 'error',
          reason: 'Lockstep ID "12345" is not an id Lockstep gave (leave it empty for a new person)',
        },
      ]);
      expect(
        await query(database, 'SELECT id, email, title FROM people WHERE id IN ($1, $2) ORDER BY email', [
          '0f8c2d3e-3c41-4b6e-9a57-2f7d1c9b0a11',
          '2b1e9c77-8d0a-4f0e-b1c5-6a4e2d8f9c22',
        ]),
      ).toEqual([
        {
          id: '0f8c2d3e-3c41-4b6e-9a57-2f7d1c9b0a11',
          email: 'ada@analytical.example',
          title: 'Chief Data Officer',
        },
        {
          id: '2b1e9c77-8d0a-4f0e-b1c5-6a4e2d8f9c22',
          email: 'grace.hopper@cobol.example',
          title: '=Chief Engineer',
        },
      ]);
      expect(await query(database, 'SELECT count(*)::int AS n FROM people')).toEqual([{ n: 3 }]);
    });

    it('pipedrive-deals takes the stage of open deals from Deal - Stage and the outcome from Deal - Status', async () => {
      const file = csvFile('deals.csv', [
        'Deal - ID,Deal - Title,Deal - Value,Deal - Currency,Deal - Pipeline,Deal - Stage,Deal - Status,Deal - Owner,Deal - Organization,Deal - Deal created,Deal - Deal closed on,Deal - Won time,Deal - Lost reason,Deal - Expected close date',
        '1,Frequency Hopping - licence,12000.50,EUR,Sales,Negotiations Started,Won,Ken,Frequency Hopping GmbH,2024-03-01 14:05:00,2024-04-02 09:30:00,2024-04-02 09:30:00,,',
        '2,Web Foundation - pilot,5000,USD,Sales,Proposal Made,open,Ken,World Wide Web Foundation,2024-03-05 10:00:00,,,,2024-06-30',
        '3,Analytical Engines - renewal,"1,500",EUR,Sales,Qualified,lost,Ada,Analytical Engines,2024-02-01 08:00:00,2024-03-15 16:00:00,,Price,',
        ',No id,100,EUR,Sales,Qualified,open,Ada,Analytical Engines,2024-02-01 08:00:00,,,,',
        '4,Web Foundation - training,800,USD,Sales,Waiting for budget,open,Ken,World Wide Web Foundation,2024-03-06 10:00:00,,,,',
      ]);
      const report = await importWith('pipedrive-deals', file);
      expect(report).toMatchObject({ rowsRead: 5, created: 4, rejected: 1, accountsCreated: 3 });
      expect(report.problems.map((p) => `line ${p.line}: ${p.reason}`)).toEqual([
        'line 5: has no Deal - ID, so a later import could not find this deal again',
      ]);
      const deals = await query(
        database,
        `SELECT o.external_id AS id, o.stage, o.amount::float8 AS amount, o.currency, u.name AS owner, a.name AS account,
                to_char(o.opened_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI') AS opened,
                to_char(o.closed_at AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI') AS closed, o.lost_reason AS lost,
                o.attributes->>'pipedriveStage' AS "pipedriveStage",
                o.attributes->>'pipedriveExpectedCloseDate' AS "expectedClose"
         FROM opportunities o LEFT JOIN accounts a ON a.id = o.account_id LEFT JOIN users u ON u.id = o.owner_id
         ORDER BY o.external_id`,
      );
      expect(deals).toEqual([
        {
          id: 'pipedrive:1',
          stage: 'won',
          amount: 12000.5,
          currency: 'EUR',
          owner: 'Ken',
          account: 'Frequency Hopping GmbH',
          opened: '2024-03-01 14:05',
          closed: '2024-04-02 09:30',
          lost: null,
          pipedriveStage: 'Negotiations Started',
          expectedClose: null,
        },
        {
          id: 'pipedrive:2',
          stage: 'proposal',
          amount: 5000,
          currency: 'USD',
          owner: 'Ken',
          account: 'World Wide Web Foundation',
          opened: '2024-03-05 10:00',
          closed: null,
          lost: null,
          pipedriveStage: 'Proposal Made',
          expectedClose: '2024-06-30',
        },
        {
          id: 'pipedrive:3',
          stage: 'lost',
          amount: 1500,
          currency: 'EUR',
          owner: 'Ada',
          account: 'Analytical Engines',
          opened: '2024-02-01 08:00',
          closed: '2024-03-15 16:00',
          lost: 'Price',
          pipedriveStage: 'Qualified',
          expectedClose: null,
        },
        {
          // A stage of this company's own: open, at the pipeline's start (unknownStage), its name kept.
          id: 'pipedrive:4',
          stage: 'prospecting',
          amount: 800,
          currency: 'USD',
          owner: 'Ken',
          account: 'World Wide Web Foundation',
          opened: '2024-03-06 10:00',
          closed: null,
          lost: null,
          pipedriveStage: 'Waiting for budget',
          expectedClose: null,
        },
      ]);
    });
  });
}
