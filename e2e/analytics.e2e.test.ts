import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { laptopViewport } from './support/chromium.ts';
import { parseCount, signIn } from './support/funnelPage.ts';
import { type Stage, screenshots, setStage } from './support/stage.ts';

const adminEmail = 'admin@demo.lockstep.dev';
const adminPassword = 'e2e-demo-password-42';

let stage: Stage;
let browser: Browser;

beforeAll(async () => {
  stage = await setStage({ LOCKSTEP_DEMO: 'true', LOCKSTEP_ADMIN_PASSWORD: adminPassword });
  ({ browser } = stage);
});

afterAll(async () => {
  await stage?.close();
});

/** Clicks a number, checks the drawer lists that many records and the CSV has as many rows. */
async function drillInto(page: Page, number: ReturnType<Page['locator']>): Promise<number> {
  const shown = parseCount((await number.textContent())?.trim() ?? '');
  await number.click();
  const total = page.getByTestId('records-total');
  await total.waitFor();
  expect(parseCount((await total.textContent())?.split(' ')[0] ?? '')).toBe(shown);
  const href = await page.getByRole('link', { name: 'Export CSV' }).getAttribute('href');
  const csv = await page.request.get(`${stage.server.url}${href}`);
  expect(csv.status()).toBe(200);
  expect((await csv.text()).trim().split('\r\n')).toHaveLength(shown + 1);
  return shown;
}

describe('analytics in a browser', () => {
  test('every report shows, and its numbers open to the records behind them', async () => {
    const context = await browser.newContext({ viewport: { ...laptopViewport, height: 1100 } });
    context.setDefaultTimeout(20_000);
    const page = await context.newPage();
    await page.goto(stage.server.url);
    await signIn(page, adminEmail, adminPassword);

    // The home funnel: a count opens the people who reached that stage.
    const stageTable = page.getByRole('table', { name: 'Funnel by stage' });
    await stageTable.waitFor();
    const mqls = await drillInto(page, stageTable.locator('tbody tr').nth(1).getByRole('button'));
    expect(mqls).toBeGreaterThan(0);
    await page.screenshot({ path: path.join(screenshots, 'funnel-records.png') });
    await page.keyboard.press('Escape');

    await page.getByRole('link', { name: /^Analytics/ }).click();
    const funnelTable = page.getByRole('table', { name: 'Funnel table' });
    await funnelTable.waitFor();
    expect(
      parseCount((await funnelTable.locator('tbody tr').nth(1).locator('td').nth(1).textContent()) ?? ''),
    ).toBe(mqls);
    await page.getByRole('img', { name: 'Funnel chart' }).waitFor();
    await page.screenshot({ path: path.join(screenshots, 'analytics-funnel.png'), fullPage: true });

    for (const [tab, title] of [
      ['Velocity', 'Velocity'],
      ['Cohorts', 'Cohorts'],
      ['Breakdown', 'Breakdown'],
      ['Pipeline', 'Pipeline'],
      ['Attribution', 'Attribution'],
      ['Cost', 'Cost per stage'],
    ] as const) {
      await page.getByRole('tab', { name: tab }).click();
      const table = page.getByRole('table', { name: `${title} table` });
      await table.waitFor();
      await page.waitForTimeout(400);
      await page.screenshot({
        path: path.join(screenshots, `analytics-${tab.toLowerCase()}.png`),
        fullPage: true,
      });
    }

    // A count in the breakdown opens its leads; the drawer and the CSV hold exactly that many.
    await page.getByRole('tab', { name: 'Breakdown' }).click();
    const breakdown = page.getByRole('table', { name: 'Breakdown table' });
    await breakdown.waitFor();
    await drillInto(page, breakdown.locator('tbody tr').first().locator('td[data-column="mqls"] button'));
    await page.screenshot({ path: path.join(screenshots, 'analytics-records.png') });
    await context.close();
  }, 120_000);
});
