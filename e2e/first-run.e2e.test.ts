import fs from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { workbookFromCsv } from '../src/modules/import/import.test-support.ts';
import { laptopViewport } from './support/chromium.ts';
import { signIn, tableRows } from './support/funnelPage.ts';
import { type Stage, screenshots, setStage } from './support/stage.ts';

let stage: Stage;
let browser: Browser;
let server: Stage['server'];
const examples = path.resolve(import.meta.dirname, '../docs/examples');

beforeAll(async () => {
  stage = await setStage({ LOCKSTEP_DEMO: 'false' });
  ({ browser, server } = stage);
});

afterAll(async () => {
  await stage?.close();
});

/** Rita, the admin the first test creates, signed in on the Import page in a browser of her own. */
async function ritaOnTheImportPage(): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: laptopViewport });
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  await page.goto(`${server.url}/import`);
  await signIn(page, 'rita@example.com', 'a-long-enough-password');
  await page.getByRole('heading', { name: 'Import', exact: true }).waitFor();
  return { context, page };
}

/** The counts of the import shown whose labels match, as "Created: 6". */
function importCounts(page: Page, labels: RegExp): Promise<string[]> {
  return page
    .getByTestId('import-counts')
    .getByText(labels)
    .evaluateAll((found) =>
      found.map((label) => `${label.textContent}: ${label.previousElementSibling?.textContent}`),
    );
}

test('on a fresh install the first person creates the admin and is told how to fill the funnel', async () => {
  const context = await browser.newContext({ viewport: laptopViewport });
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  await page.goto(server.url);

  await page.getByRole('heading', { name: 'Create the first admin' }).waitFor();
  await page.getByLabel(/^Your name/).fill('Rita Revenue');
  await page.getByLabel(/^Work email/).fill('rita@example.com');
  await page.getByLabel(/^Password/).fill('short');
  expect(await page.getByText('Use at least 10 characters').isVisible()).toBe(true);
  await page.getByLabel(/^Password/).fill('a-long-enough-password');
  await page.screenshot({ path: path.join(screenshots, 'first-run-setup.png') });
  await page.getByRole('button', { name: 'Create admin and sign in' }).click();

  await page.getByRole('heading', { name: 'No people in Lockstep yet' }).waitFor();
  expect(await page.getByText('Rita Revenue').isVisible()).toBe(true);
  expect(await page.getByText('npx lockstep import csv contacts.csv').isVisible()).toBe(true);
  await page.screenshot({ path: path.join(screenshots, 'first-run-empty-funnel.png') });

  // The admin exists now: a reload signs in with the session cookie, not the setup page again.
  await page.reload();
  await page.getByRole('heading', { name: 'No people in Lockstep yet' }).waitFor();
  await context.close();
});

test('the admin imports a HubSpot export in the browser, reads each bad row by line, and sees the funnel', async () => {
  const context = await browser.newContext({ viewport: laptopViewport });
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  await page.goto(server.url);
  await signIn(page, 'rita@example.com', 'a-long-enough-password');

  await page.getByRole('button', { name: 'Import a CSV export' }).click();
  await page.getByRole('heading', { name: 'Import', exact: true }).waitFor();
  await page.getByText('No imports yet.').waitFor();
  await page.locator('input[type=file]').setInputFiles(path.join(examples, 'hubspot-contacts.csv'));
  await page.getByRole('button', { name: 'Import', exact: true }).click();

  // Nothing was said about the kind of export: its columns say HubSpot contacts.
  await page.getByTestId('import-counts').waitFor();
  expect(
    await page.getByRole('heading', { name: /hubspot-contacts\.csv \(HubSpot contacts\)/ }).isVisible(),
  ).toBe(true);
  expect(await importCounts(page, /^(Created|Rejected)$/)).toEqual(['Created: 6', 'Rejected: 2']);
  const badEmail = page.getByRole('row', { name: /email "bob@" is not an email address/ });
  expect(await badEmail.getByRole('cell').first().textContent()).toBe('5');
  expect(await badEmail.getByText('Not imported').isVisible()).toBe(true);
  // The problems go into a spreadsheet for whoever fixes the export.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('button', { name: 'Download them (CSV)' }).click(),
  ]);
  expect(download.suggestedFilename()).toBe('hubspot-contacts-problems.csv');
  const problemsCsv = fs.readFileSync(await download.path(), 'utf8');
  expect(problemsCsv.split('\r\n')).toEqual([
    'line,what happened,why',
    '2,warning,"skipped: line 8 has the same external id ""hubspot:101"" and comes later in the file, so line 8 is imported instead"',
    '5,not imported,"email ""bob@"" is not an email address"',
    '6,not imported,"Create Date ""13/45/2025 10:00"" is not a date (expected MM/DD/YYYY HH:mm)"',
  ]);
  await page.screenshot({ path: path.join(screenshots, 'import-done.png'), fullPage: true });

  await page.getByRole('link', { name: 'See the funnel →' }).click();
  const stages = page.getByRole('table', { name: 'Funnel by stage' });
  await stages.waitFor();
  await page.screenshot({ path: path.join(screenshots, 'import-funnel.png'), fullPage: true });
  expect(await page.getByText('No people in Lockstep yet').count()).toBe(0);
  // Eve's lifecycle stage is "other", which the preset leaves without a stage: she starts as a new
  // lead, as a person created over the API does, so all six entered.
  expect((await tableRows(stages)).map((row) => row[1])).toEqual(['6', '4', '4', '4', '3', '2']);
  await context.close();
});

test('a file no preset fits is mapped column by column on the page, then imported', async () => {
  const { context, page } = await ritaOnTheImportPage();

  // A trade-fair list in German: no CRM wrote it.
  const fair = [
    'Name,E-mail,Firma,Position,Status,Erfasst am',
    'Lise Meitner,lise@kernphysik.example,Kernphysik AG,CTO,Heiß,13.03.2025',
    'Otto Hahn,otto@kernphysik.example,Kernphysik AG,Chemist,Kalt,14.03.2025',
    'Emmy Noether,emmy@algebra.example,Algebra GmbH,Professor,Heiß,15.03.2025',
  ].join('\n');
  await page
    .locator('input[type=file]')
    .setInputFiles({ name: 'messe.csv', mimeType: 'text/csv', buffer: Buffer.from(fair) });
  await page.getByText('No preset fits these columns').waitFor();
  // A select's input (its list of options carries the same label).
  const select = (label: string) => page.getByLabel(label, { exact: true }).first();
  // Lockstep's guesses from the names: E-mail, Position and Status found their fields.
  expect(await select('E-mail becomes').inputValue()).toBe('Email');
  expect(await select('Position becomes').inputValue()).toBe('Job title');
  expect(await select('Status becomes').inputValue()).toBe('Stage');
  expect(await select('Erfasst am becomes').inputValue()).toBe('Keep as an attribute');

  const choose = async (label: string, option: string) => {
    await select(label).click();
    await page.getByRole('option', { name: option, exact: true }).click();
  };
  await choose('Firma becomes', 'Company name');
  await choose('Erfasst am becomes', 'Created at');
  await choose('Dates are written', 'DD.MM.YYYY');
  await choose('Stage for Heiß', 'MQL');
  await choose('Stage for Kalt', 'New lead');
  await page.getByLabel('Name of the system it came from').fill('messe');
  await page.getByLabel('Save this mapping as (optional)').fill('Trade fair list');
  await page.screenshot({ path: path.join(screenshots, 'import-mapping.png'), fullPage: true });
  await page.getByRole('button', { name: 'Import', exact: true }).click();

  await page.getByRole('heading', { name: /messe\.csv \(Trade fair list \(saved\)\)/ }).waitFor();
  await page.getByTestId('import-counts').waitFor();
  const created = await page
    .getByTestId('import-counts')
    .getByText('Created')
    .evaluate((label) => label.previousElementSibling?.textContent);
  expect(created).toBe('3');

  const lise = (await (
    await page.request.get(`${server.url}/api/people?q=lise@kernphysik.example`)
  ).json()) as { items: { stage: string; createdAt: string; title: string }[] };
  expect(lise.items).toMatchObject([{ stage: 'mql', title: 'CTO', createdAt: '2025-03-13T00:00:00.000Z' }]);

  // Next month's list from the same fair is recognised by the saved mapping.
  await page
    .locator('input[type=file]')
    .setInputFiles({ name: 'messe-april.csv', mimeType: 'text/csv', buffer: Buffer.from(fair) });
  const exportedFrom = page.getByLabel('Exported from', { exact: true }).first();
  await expect.poll(() => exportedFrom.inputValue()).toBe('Recognised: Trade fair list (saved)');
  // The page's own limit, and what to do past it.
  expect(await page.getByText('Files larger than 1,024 MB, the most this server takes').isVisible()).toBe(
    true,
  );

  // A mapping made by mistake can be deleted: the next list is no longer taken for it.
  await page.getByRole('button', { name: 'Delete this saved mapping…' }).click();
  const confirm = page.getByRole('dialog', { name: 'Delete this saved mapping?' });
  await confirm.getByText('Trade fair list', { exact: true }).waitFor();
  await page.waitForTimeout(400); // the dialog fades in
  await page.screenshot({ path: path.join(screenshots, 'import-delete-mapping.png') });
  await confirm.getByRole('button', { name: 'Delete', exact: true }).click();
  await confirm.waitFor({ state: 'hidden' });
  await page.getByText('No preset fits these columns').waitFor();
  await exportedFrom.click();
  expect(await page.getByRole('option', { name: 'Trade fair list (saved)' }).count()).toBe(0);
  await page.keyboard.press('Escape');
  // The import made with it is still listed, under the mapping's name.
  expect(await page.getByRole('cell', { name: 'Trade fair list (deleted mapping)' }).count()).toBe(1);
  await context.close();
});

test('an Excel workbook of the same export, on its second tab, is recognised and imported in the browser: the same people', async () => {
  const { context, page } = await ritaOnTheImportPage();

  const csv = fs.readFileSync(path.join(examples, 'hubspot-contacts.csv'), 'utf8');
  const workbook = await workbookFromCsv(csv, path.join(screenshots, 'hubspot-contacts.xlsx'), {
    coverTab: 'Read me',
  });
  await page.locator('input[type=file]').setInputFiles(workbook);
  // The first tab holds a note, which no preset fits: the page shows the export's tab, and says so.
  const tab = page.getByLabel('Tab', { exact: true }).first();
  const exportedFrom = page.getByLabel('Exported from', { exact: true }).first();
  await expect.poll(() => exportedFrom.inputValue()).toBe('Recognised: HubSpot contacts');
  expect(await tab.inputValue()).toBe('Export');
  await page.getByText('The tab "Read me" fits no preset; the tab "Export" is shown').waitFor();
  await page.screenshot({ path: path.join(screenshots, 'import-workbook.png'), fullPage: true });
  // The tab can still be chosen: the note's columns, which no preset fits, then back to the export.
  await tab.click();
  await page.getByRole('option', { name: 'Read me', exact: true }).click();
  await page.getByText(/No preset fits these columns/).waitFor();
  await tab.click();
  await page.getByRole('option', { name: 'Export', exact: true }).click();
  await expect.poll(() => exportedFrom.inputValue()).toBe('Recognised: HubSpot contacts');
  await page.getByText(/21 columns; \d+ of them are those of a HubSpot contacts export/).waitFor();
  await page.getByRole('button', { name: 'Import', exact: true }).click();

  await page
    .getByRole('heading', { name: /hubspot-contacts\.xlsx, tab "Export" \(HubSpot contacts\)/ })
    .waitFor();
  await page.getByTestId('import-counts').waitFor();
  // Imported from the CSV file before: only the Last Activity Date kept as text changes (ISO now).
  expect(await importCounts(page, /^(Created|Updated|Unchanged|Rejected)$/)).toEqual([
    'Created: 0',
    'Updated: 3',
    'Unchanged: 3',
    'Rejected: 2',
  ]);
  const badEmail = page.getByRole('row', { name: /email "bob@" is not an email address/ });
  expect(await badEmail.getByRole('cell').first().textContent()).toBe('5');
  await context.close();
});
