import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { BottleneckReport, TargetView } from '../web/src/api/targets.ts';
import { laptopViewport } from './support/chromium.ts';
import { signIn } from './support/funnelPage.ts';
import { type Stage, screenshots, setStage } from './support/stage.ts';

const adminEmail = 'admin@demo.lockstep.dev';
const adminPassword = 'e2e-demo-password-42';

// The machine may be busy: give the page time to answer.
const wait = { timeout: 20_000 };

let stage: Stage;
let browser: Browser;

beforeAll(async () => {
  stage = await setStage({ LOCKSTEP_DEMO: 'true', LOCKSTEP_ADMIN_PASSWORD: adminPassword });
  ({ browser } = stage);
});

afterAll(async () => {
  await stage?.close();
});

async function api<T>(page: Page, url: string): Promise<T> {
  const response = await page.request.get(`${stage.server.url}${url}`);
  expect(response.status()).toBe(200);
  return (await response.json()) as T;
}

describe('the shared revenue target in a browser', () => {
  test('home says where the biggest problem is; Targets recomputes the plan live; Bottlenecks lists the stuck', async () => {
    const context = await browser.newContext({ viewport: laptopViewport });
    context.setDefaultTimeout(20_000);
    const page = await context.newPage();
    await page.goto(stage.server.url);
    await signIn(page, adminEmail, adminPassword);

    // Home: the bottleneck headline, the same as the API's, and pacing against the confirmed demo target.
    await page.getByTestId('home-bottleneck').waitFor();
    const report = await api<BottleneckReport>(page, '/api/bottlenecks');
    await expect
      .poll(() => page.getByTestId('home-bottleneck').textContent(), wait)
      .toContain(report.headline);
    const current = (await api<{ current: TargetView }>(page, '/api/targets/current')).current;
    expect(current.status).toBe('confirmed');
    await page.getByRole('img', { name: /^Funnel: / }).waitFor();
    await page.screenshot({ path: path.join(screenshots, 'home-with-target.png') });

    // Targets: the confirmed quarter, both confirmations, the plan.
    await page.getByRole('link', { name: /^Targets/ }).click();
    await expect
      .poll(() => page.getByTestId('confirmations').textContent(), wait)
      .toContain('Marketing: confirmed by Maya Lindqvist');
    await expect
      .poll(() => page.getByTestId('confirmations').textContent(), wait)
      .toContain('Sales: confirmed by Dana Admin');
    // A deal size typed in the scenario gives every stage a number, recomputed in the page.
    await page.getByLabel(/^Average deal size/).fill('20000');
    const rows = page.getByTestId('pacing-table').locator('tbody tr');
    const neededWon = Math.ceil(current.amount / 20_000);
    await expect
      .poll(() => rows.last().locator('td').nth(2).textContent(), wait)
      .toBe(neededWon.toLocaleString('en-US'));
    const mqlsBefore = await rows.nth(1).locator('td').nth(2).textContent();
    // MQL → SAL slider to its maximum: fewer MQLs needed.
    const slider = page.getByRole('slider', { name: 'MQL to SAL conversion' });
    await slider.focus();
    await page.keyboard.press('End');
    await expect.poll(() => rows.nth(1).locator('td').nth(2).textContent(), wait).not.toBe(mqlsBefore);
    await page.screenshot({ path: path.join(screenshots, 'targets.png'), fullPage: true });

    // Next quarter's target is a draft: no pacing.
    await page.getByLabel('Period').first().click();
    await page.getByRole('option', { name: /\(draft\)/ }).click();
    await expect.poll(() => page.getByTestId('target-sentence').textContent(), wait).toContain('is a draft');
    await expect
      .poll(() => page.getByTestId('pacing-table').textContent(), wait)
      .toContain('draft: not paced');

    // Bottlenecks: the headline's link opens the stuck list.
    await page.getByRole('link', { name: /^Funnel/ }).click();
    await page.getByRole('link', { name: 'See the list →' }).click();
    await page.getByTestId('bottleneck-headline').waitFor();
    await page.getByTestId('steps-table').waitFor();
    // The list is the one the headline links to: a stage's stuck items, or all of them.
    const linked = new URL(report.link, stage.server.url).searchParams;
    const group = report.stuck.find((g) => g.kind === linked.get('kind') && g.stage === linked.get('stage'));
    const expected = linked.get('stage')
      ? (group?.stuck ?? 0)
      : report.stuck.reduce((sum, g) => sum + g.stuck, 0);
    if (expected > 0) await page.getByTestId('stuck-table').waitFor();
    else await page.getByText("Nothing here is stuck past its stage's usual time.").waitFor();
    await page.screenshot({ path: path.join(screenshots, 'bottlenecks.png') });

    // Everything stuck: fifty rows at first, fifty more with each "Show more".
    const all = report.stuck.reduce((sum, g) => sum + g.stuck, 0);
    expect(all).toBeGreaterThan(50);
    await page.getByRole('button', { name: 'All', exact: true }).click();
    const stuckRows = page.getByTestId('stuck-table').locator('tbody tr');
    await expect.poll(() => stuckRows.count(), wait).toBe(50);
    await page.getByRole('button', { name: 'Show more' }).click();
    await expect.poll(() => stuckRows.count(), wait).toBe(Math.min(all, 100));
    await context.close();
  });
});
