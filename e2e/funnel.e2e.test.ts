import fs from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { FunnelReport } from '../web/src/api/types.ts';
import { humanize } from '../web/src/format.ts';
import { periodStart } from '../web/src/funnel/periods.ts';
import { laptopViewport } from './support/chromium.ts';
import { expectedRate, parseCount, signIn, tableRows } from './support/funnelPage.ts';
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

async function newPage(): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: laptopViewport, acceptDownloads: true });
  context.setDefaultTimeout(15_000);
  return { context, page: await context.newPage() };
}

async function funnelReport(page: Page, by: string): Promise<FunnelReport> {
  // page.request shares the browser's cookies: the API answers for the same signed-in person.
  const response = await page.request.get(`${server.url}/api/reports/funnel?by=${by}`);
  expect(response.status()).toBe(200);
  return (await response.json()) as FunnelReport;
}

describe('the revenue funnel in a browser', () => {
  test('the demo admin signs in and sees where the funnel leaks, with the same numbers as the API', async () => {
    const { context, page } = await newPage();
    await page.goto(server.url);
    await expect.poll(() => page.getByText(adminEmail).isVisible()).toBe(true);
    await page.screenshot({ path: path.join(screenshots, 'sign-in.png') });
    await signIn(page, adminEmail, adminPassword);

    const stageTable = page.getByRole('table', { name: 'Funnel by stage' });
    await stageTable.waitFor();
    await page.getByRole('img', { name: /^Funnel: / }).waitFor();
    const report = await funnelReport(page, 'none');

    // The demo workspace has a real funnel: people in the first stage, fewer in each later one.
    const counts = report.total.counts;
    expect(counts[0]).toBeGreaterThan(0);
    for (let i = 1; i < counts.length; i++) expect(counts[i]).toBeLessThanOrEqual(counts[i - 1] ?? 0);

    const shown = await tableRows(stageTable);
    expect(shown.map((cells) => cells[0]?.replace('biggest leak', ''))).toEqual(
      report.stages.map((s) => s.label),
    );
    expect(shown.map((cells) => parseCount(cells[1] ?? ''))).toEqual(counts);
    expect(shown.map((cells) => cells[2])).toEqual(report.total.conversion.map(expectedRate));
    const first = counts[0] ?? 0;
    expect(shown.map((cells) => cells[3])).toEqual(
      counts.map((n, i) => (i === 0 ? '–' : expectedRate(n / first))),
    );

    const leak = report.biggestLeak;
    expect(leak).not.toBeNull();
    if (!leak) return;
    const sentence = await page.getByTestId('leak-sentence').textContent();
    expect(sentence).toMatch(/^Weakest step over this period: /);
    expect(sentence).toContain(
      `${leak.fromLabel} → ${leak.toLabel}, where only ${expectedRate(leak.conversion)} of `,
    );
    expect(sentence).toContain(`(${leak.lost.toLocaleString('en-US')} did not, or not yet).`);
    await expect
      .poll(() => stageTable.locator(`tr[data-stage="${leak.toStage}"]`).textContent())
      .toContain('biggest leak');
    // Both sides of the SLA, in the words the Promises page opens with.
    const promises = page.getByTestId('home-promises');
    await promises.waitFor();
    expect(await promises.textContent()).toMatch(/Sales: .+\.Marketing: .+ MQLs this month so far/);
    await page.screenshot({ path: path.join(screenshots, 'funnel.png') });

    // Breakdown by source: the same rows as the API, in the same order, then sorted by Won.
    await page.getByText('Source', { exact: true }).click();
    const sourceTable = page.getByRole('table', { name: 'Funnel by source' });
    await sourceTable.waitFor();
    const bySource = await funnelReport(page, 'source');
    expect(bySource.rows.length).toBeGreaterThan(1);
    const sourceRows = await tableRows(sourceTable);
    // Sources read as words ("paid_search" → "Paid search").
    expect(sourceRows.map((cells) => cells[0])).toEqual(
      bySource.rows.map((row) => (row.group === null ? '(not set)' : humanize(row.group))),
    );
    expect(bySource.rows.map((row) => row.group)).toContain('paid_search');
    expect(sourceRows.map((cells) => cells[0])).toContain('Paid search');
    expect(sourceRows.map((cells) => cells.slice(1, -1).map(parseCount))).toEqual(
      bySource.rows.map((r) => r.counts),
    );

    const wonLabel = report.stages.at(-1)?.label ?? 'Won';
    await sourceTable.getByRole('button', { name: wonLabel, exact: true }).click();
    const mostWon = Math.max(...bySource.rows.map((row) => row.counts.at(-1) ?? 0));
    const sortedFirstRow = (await tableRows(sourceTable))[0] ?? [];
    expect(parseCount(sortedFirstRow.at(-2) ?? '')).toBe(mostWon);

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export CSV' }).click(),
    ]);
    const csv = fs.readFileSync(await download.path(), 'utf8').split('\r\n');
    expect(csv[0]).toBe(
      ['Source', ...report.stages.map((s) => s.label), `${report.stages[1]?.label} → ${wonLabel}`].join(','),
    );
    expect(csv).toHaveLength(bySource.rows.length + 1);

    await sourceTable.scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(screenshots, 'funnel-by-source.png') });

    // A shorter period asks the API for people who entered since then, and shows its numbers.
    // (The page's day is read from the request it sends: a run that crosses midnight UTC has two.)
    const daysBefore = periodStart('90');
    await page.getByRole('combobox', { name: 'People who entered' }).click();
    const [asked] = await Promise.all([
      page.waitForRequest(
        (request) => request.url().includes('/api/reports/funnel?') && request.url().includes('from='),
      ),
      page.getByRole('option', { name: 'Last 90 days' }).click(),
    ]);
    const from = new URL(asked.url()).searchParams.get('from');
    expect([daysBefore, periodStart('90')]).toContain(from);
    const recent = await funnelReport(page, `none&from=${from}`);
    await expect
      .poll(async () => (await tableRows(stageTable)).map((cells) => parseCount(cells[1] ?? '')))
      .toEqual(recent.total.counts);
    expect(recent.total.counts[0]).toBeLessThanOrEqual(first);

    // The API docs the navigation points at are there.
    expect((await page.request.get(`${server.url}/api/docs`)).ok()).toBe(true);

    await page.getByRole('link', { name: /^People/ }).click();
    const people = page.getByRole('table', { name: 'People' });
    await people.waitFor();
    expect((await tableRows(people)).length).toBeGreaterThan(0);
    await page.screenshot({ path: path.join(screenshots, 'people.png') });

    // "Download all as CSV" gives everyone the filters keep, not only the rows shown.
    await page.getByRole('textbox', { name: 'Search' }).fill('.example');
    await expect.poll(async () => (await tableRows(people)).length).toBe(50);
    let listed = 0;
    for (let cursor: string | null = ''; cursor !== null; ) {
      const pageOfPeople: { items: unknown[]; nextCursor: string | null } = await (
        await page.request.get(
          `${server.url}/api/people?q=.example&limit=500${cursor ? `&cursor=${cursor}` : ''}`,
        )
      ).json();
      listed += pageOfPeople.items.length;
      cursor = pageOfPeople.nextCursor;
    }
    expect(listed).toBeGreaterThan(50);
    const [peopleFile] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name: 'Download all as CSV' }).click(),
    ]);
    expect(peopleFile.suggestedFilename()).toMatch(/^people-\d{4}-\d{2}-\d{2}\.csv$/);
    const exported = fs
      .readFileSync(await peopleFile.path(), 'utf8')
      .trimEnd()
      .split('\r\n');
    expect(exported[0]).toMatch(/^Lockstep ID,External ID,Email,First name,Last name,/);
    expect(exported).toHaveLength(listed + 1);

    // Accounts, by name; an account's people count opens its people.
    await page.getByRole('link', { name: /^Accounts/ }).click();
    const accounts = page.getByRole('table', { name: 'Accounts' });
    await accounts.waitFor();
    const firstAccounts: { items: { id: string; name: string; peopleCount: number }[] } = await (
      await page.request.get(`${server.url}/api/accounts?limit=50`)
    ).json();
    await expect
      .poll(async () => (await tableRows(accounts)).map((cells) => cells[0]))
      .toEqual(firstAccounts.items.map((account) => account.name));
    await page.screenshot({ path: path.join(screenshots, 'accounts.png') });
    const busiest = [...firstAccounts.items].sort((a, b) => b.peopleCount - a.peopleCount)[0]!;
    expect(busiest.peopleCount).toBeGreaterThan(0);
    const accountRow = accounts.getByRole('row').filter({ hasText: busiest.name }).first();
    await accountRow.getByRole('link', { name: String(busiest.peopleCount) }).click();
    await page.waitForURL(/\/people\?account=/);
    await page.getByText(`At ${busiest.name}`).waitFor();
    await expect.poll(async () => (await tableRows(people)).length).toBe(Math.min(50, busiest.peopleCount));
    for (const cells of await tableRows(people)) expect(cells[2]).toBe(busiest.name);

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('button', { name: 'Sign in' }).waitFor();
    await context.close();
  });

  test('a wrong password says so and keeps the person on the sign-in page', async () => {
    const { context, page } = await newPage();
    await page.goto(server.url);
    await signIn(page, adminEmail, 'not-the-right-password');
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toContain('Wrong email or password');
    expect(await page.getByRole('table', { name: 'Funnel by stage' }).count()).toBe(0);
    await page.screenshot({ path: path.join(screenshots, 'sign-in-wrong-password.png') });
    await context.close();
  });
});
