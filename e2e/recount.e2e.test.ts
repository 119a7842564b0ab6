// After a large change the reports are recounted in the background: the API answers from the last
// counts and says so, and the analytics page shows that notice and updates by itself. The threshold
// is set low (LOCKSTEP_RECOUNT_IN_BACKGROUND_FROM) so that a few new people are a large change here.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { laptopViewport } from './support/chromium.ts';
import { signIn } from './support/funnelPage.ts';
import { type Stage, screenshots, setStage } from './support/stage.ts';

const adminEmail = 'admin@demo.lockstep.dev';
const adminPassword = 'e2e-demo-password-42';

let stage: Stage;

beforeAll(async () => {
  stage = await setStage({
    LOCKSTEP_DEMO: 'true',
    LOCKSTEP_ADMIN_PASSWORD: adminPassword,
    LOCKSTEP_RECOUNT_IN_BACKGROUND_FROM: '25',
  });
});

afterAll(async () => {
  await stage?.close();
});

interface Funnel {
  total: { counts: number[] };
  recounting?: { countedAt: string; pending: number };
}

describe('reports while a large change is counted', () => {
  test('answer from the last counts and say so; the page updates by itself', async () => {
    const context = await stage.browser.newContext({ viewport: laptopViewport });
    context.setDefaultTimeout(30_000);
    const page = await context.newPage();
    const funnel = async () => {
      const response = await page.request.get(`${stage.server.url}/api/reports/funnel`);
      return { status: response.status(), body: (await response.json()) as Funnel };
    };
    await page.goto(stage.server.url);
    await signIn(page, adminEmail, adminPassword);
    await page.getByRole('link', { name: /^Analytics/ }).click();
    // The demo's first count goes to the background too: the page waits for it by itself.
    const funnelTable = page.getByRole('table', { name: 'Funnel table' });
    await funnelTable.waitFor();
    const leads = async () =>
      Number(
        (await funnelTable.locator('tbody tr').first().locator('td').nth(1).textContent())?.replace(/,/g, ''),
      );
    // Every job the first count sent has run once the answer is complete and stays so.
    await expect.poll(async () => (await funnel()).body.recounting ?? null, { timeout: 60_000 }).toBeNull();
    await page.waitForTimeout(3_000);
    const settled = await funnel();
    expect([settled.status, settled.body.recounting]).toEqual([200, undefined]);
    const before = settled.body.total.counts[0]!;
    expect(before).toBeGreaterThan(1000);

    // Thirty new leads: over the threshold, so the next report answers from the last counts.
    for (let i = 0; i < 30; i++) {
      const created = await page.request.post(`${stage.server.url}/api/people`, {
        data: { email: `recount-${i}@example.com`, source: 'webinar' },
      });
      expect(created.status()).toBe(201);
    }
    const during = await funnel();
    expect(during.status).toBe(200);
    expect(during.body.recounting?.pending).toBeGreaterThanOrEqual(30);
    expect(during.body.total.counts[0]).toBe(before);
    // The job it started counts them.
    await expect
      .poll(async () => (await funnel()).body.total.counts[0], { timeout: 60_000 })
      .toBe(before + 30);

    // The page: the count is quick here, so the answer during it is replayed once (that same
    // response); the page shows the notice, polls, and drops it with the new numbers.
    await page.route(
      (url) => url.pathname === '/api/reports/funnel',
      (route) => route.fulfill({ json: during.body }),
      { times: 1 },
    );
    await page.reload();
    const notice = page.getByTestId('recounting');
    await notice.waitFor();
    expect(await notice.textContent()).toContain(
      `${during.body.recounting?.pending} newer stage moves and changes`,
    );
    expect(await leads()).toBe(before);
    await page.screenshot({ path: path.join(screenshots, 'analytics-recounting.png') });
    await notice.waitFor({ state: 'detached', timeout: 30_000 });
    await expect.poll(leads).toBe(before + 30);
    await context.close();
  }, 240_000);
});
