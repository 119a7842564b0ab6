import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { OpportunityList } from '../web/src/api/opportunities.ts';
import { laptopViewport } from './support/chromium.ts';
import { parseCount, signIn, tableRows } from './support/funnelPage.ts';
import { type Stage, screenshots, setStage } from './support/stage.ts';

const adminEmail = 'admin@demo.lockstep.dev';
const adminPassword = 'e2e-demo-password-42';

let stage: Stage;
let browser: Browser;
let server: Stage['server'];

beforeAll(async () => {
  stage = await setStage({ LOCKSTEP_DEMO: 'true', LOCKSTEP_ADMIN_PASSWORD: adminPassword });
  ({ browser, server } = stage);
});

afterAll(async () => {
  await stage?.close();
});

async function deals(page: Page, query: string): Promise<OpportunityList> {
  const response = await page.request.get(`${server.url}/api/opportunities?${query}`);
  expect(response.status()).toBe(200);
  return (await response.json()) as OpportunityList;
}

const usd = (amount: number) =>
  new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', maximumFractionDigits: 0 }).format(
    amount,
  );

describe('the opportunities page in a browser', () => {
  test('shows the pipeline in a sentence, filters by owner, and opens a deal with its history', async () => {
    const context = await browser.newContext({ viewport: laptopViewport, acceptDownloads: true });
    context.setDefaultTimeout(15_000);
    const page = await context.newPage();
    await page.goto(server.url);
    await signIn(page, adminEmail, adminPassword);
    await page.getByRole('link', { name: /Opportunities/ }).click();
    const table = page.getByRole('table', { name: 'Opportunities' });
    await table.waitFor();

    const open = await deals(page, 'status=open&limit=1');
    const won = await deals(page, 'status=won&limit=1');
    const lost = await deals(page, 'status=lost&limit=1');
    const stuckBefore = new Date(Date.now() - 30 * 86_400_000).toISOString();
    const stuck = await deals(page, `status=open&limit=500&stageEnteredBefore=${stuckBefore}`);
    expect(stuck.totals.count).toBeGreaterThan(0);
    expect(open.totals.count).toBeGreaterThan(0);
    const amount = (list: OpportunityList) => list.totals.amounts[0]?.amount ?? 0;
    await expect
      .poll(() => page.getByTestId('pipeline-sentence').textContent())
      .toBe(
        `${open.totals.count.toLocaleString('en-US')} open deals worth ${usd(amount(open))} are in the pipeline, and ` +
          `${stuck.totals.count} of them (${usd(amount(stuck))}) have been stuck in their stage for over 30 days. ` +
          `${won.totals.count.toLocaleString('en-US')} deals worth ${usd(amount(won))} were won and ` +
          `${lost.totals.count.toLocaleString('en-US')} worth ${usd(amount(lost))} lost.`,
      );
    const rows = await tableRows(table);
    expect(rows.length).toBe(Math.min(50, open.totals.count));
    expect(rows[0]?.[0]).toBe(open.items[0]?.name);
    await page.screenshot({ path: path.join(screenshots, 'opportunities.png') });

    // The stage strip: each open stage with its deals and amount; a click filters the table to it.
    const byStage = (await page.request
      .get(`${server.url}/api/opportunities/by-stage?status=open`)
      .then((r) => r.json())) as { stages: { key: string; count: number }[] };
    const strip = page.getByRole('group', { name: 'Deals by stage' });
    for (const s of byStage.stages) {
      expect(await strip.locator(`[data-stage="${s.key}"]`).textContent()).toContain(
        `${s.count} ${s.count === 1 ? 'deal' : 'deals'}`,
      );
    }
    expect(byStage.stages.reduce((sum, s) => sum + s.count, 0)).toBe(open.totals.count);
    const busiest = [...byStage.stages].sort((a, b) => b.count - a.count)[0]!;
    await strip.locator(`[data-stage="${busiest.key}"]`).click();
    await expect.poll(async () => (await tableRows(table)).length).toBe(Math.min(50, busiest.count));
    const label = busiest.key.charAt(0).toUpperCase() + busiest.key.slice(1);
    for (const row of await tableRows(table)) expect(row[4]).toBe(label);
    await strip.locator(`[data-stage="${busiest.key}"]`).click();
    await expect.poll(async () => (await tableRows(table)).length).toBe(Math.min(50, open.totals.count));

    // The stuck ones, each in its stage for over 30 days.
    await page.getByRole('checkbox', { name: 'Stuck over 30 days' }).check();
    await expect.poll(async () => (await tableRows(table)).length).toBe(stuck.totals.count);
    for (const row of await tableRows(table)) expect(row[7]).toMatch(/^stuck \d+ days$/);
    await page.screenshot({ path: path.join(screenshots, 'opportunities-stuck.png') });
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Download all as CSV' }).click(),
    ]);
    expect(download.suggestedFilename()).toMatch(/^opportunities-\d{4}-\d{2}-\d{2}\.csv$/);
    const exported = parse(fs.readFileSync((await download.path())!), { columns: true }) as Record<
      string,
      string
    >[];
    expect(Object.keys(exported[0]!).slice(0, 4)).toEqual(['Lockstep ID', 'External ID', 'Deal', 'Account']);
    // Only the stuck deals the page shows, every one of them, with the amount the API gives.
    expect(exported.map((row) => row['Lockstep ID']).sort()).toEqual(stuck.items.map((d) => d.id).sort());
    const first = stuck.items[0]!;
    expect(exported.find((row) => row['Lockstep ID'] === first.id)).toMatchObject({
      Deal: first.name,
      Amount: first.amount === null ? '' : String(first.amount),
      Stage: first.stage,
      Opened: first.openedAt,
    });
    await page.getByRole('checkbox', { name: 'Stuck over 30 days' }).uncheck();

    // One owner's deals: the totals line and the table agree with the API.
    const owner = open.items[0]!;
    await page.getByRole('combobox', { name: 'Owner', exact: true }).click();
    await page.getByRole('option', { name: owner.ownerName!, exact: true }).click();
    const mine = await deals(page, `status=open&ownerId=${owner.ownerId}&limit=500`);
    await expect
      .poll(async () =>
        parseCount((await page.getByTestId('deal-totals').textContent())?.split(' ')[0] ?? ''),
      )
      .toBe(mine.totals.count);
    await expect.poll(async () => (await tableRows(table)).length).toBe(Math.min(50, mine.totals.count));
    for (const row of await tableRows(table)) expect(row[2]).toBe(owner.ownerName);

    // A deal opens with its immutable history.
    await page.getByRole('cell', { name: owner.name, exact: true }).first().click();
    const history = page.getByLabel('Deal history');
    await history.waitFor();
    const detail = (await page.request
      .get(`${server.url}/api/opportunities/${owner.id}`)
      .then((r) => r.json())) as {
      history: unknown[];
    };
    expect(await history.locator('.mantine-Timeline-item').count()).toBe(detail.history.length);
    await expect.poll(() => history.textContent()).toContain('Opened in Prospecting');
    await page.screenshot({ path: path.join(screenshots, 'opportunity-history.png') });

    // The lead page shows the person's deals.
    await page.goto(`${server.url}/people/${owner.personId}`);
    const leadDeals = page.getByRole('table', { name: 'Opportunities' });
    await leadDeals.waitFor();
    const ofPerson = await deals(page, `personId=${owner.personId}`);
    expect((await tableRows(leadDeals)).map((r) => r[0])).toEqual(ofPerson.items.map((d) => d.name));
    await page.screenshot({ path: path.join(screenshots, 'lead-opportunities.png'), fullPage: true });
    await context.close();
  });
});
