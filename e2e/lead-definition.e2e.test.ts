import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { DefinitionVersion, StageTransition } from '../web/src/api/types.ts';
import { laptopViewport } from './support/chromium.ts';
import { signIn, tableRows } from './support/funnelPage.ts';
import { type Stage, screenshots, setStage } from './support/stage.ts';

const adminEmail = 'admin@demo.lockstep.dev';
const adminPassword = 'e2e-demo-password-43';

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

async function apiGet<T>(page: Page, url: string): Promise<T> {
  // page.request shares the browser's cookies: the API answers for the same signed-in person.
  const response = await page.request.get(`${server.url}${url}`);
  expect(response.status()).toBe(200);
  return (await response.json()) as T;
}

async function pick(page: Page, combobox: string, option: string): Promise<void> {
  await page.getByRole('combobox', { name: combobox, exact: true }).click();
  await page.getByRole('option', { name: option, exact: true }).click();
}

describe('the lead definition in a browser', () => {
  test('the demo admin drafts the first definition, signs it for sales, and reads a lead', async () => {
    const context = await browser.newContext({ viewport: laptopViewport });
    context.setDefaultTimeout(15_000);
    const page = await context.newPage();
    await page.goto(server.url);
    await signIn(page, adminEmail, adminPassword);
    await page.getByRole('link', { name: /^Lead definition/ }).click();

    // Nothing is agreed in the demo: the page says so and offers the first step.
    const sentence = page.getByTestId('definition-sentence');
    await expect.poll(() => sentence.textContent()).toMatch(/^No lead definition is agreed yet/);
    const firstDraft = page.getByRole('button', { name: 'Write the first draft' });
    await firstDraft.waitFor();
    await page.screenshot({ path: path.join(screenshots, 'lead-definition-empty.png') });
    await firstDraft.click();

    // One fit rule: company size in a range, first written the wrong way round.
    await page.getByRole('button', { name: 'Add fit rule' }).click();
    const fitRule = page.locator('tr[data-rule="fit-1"]');
    await pick(page, 'Field', 'Company employees');
    expect(await fitRule.getByRole('combobox', { name: 'Condition' }).inputValue()).toBe('is between');
    await fitRule.getByLabel('From').fill('1000');
    await fitRule.getByLabel('Up to').fill('200');
    await fitRule.getByLabel('Points', { exact: true }).fill('40');
    await fitRule.getByLabel('Label').fill('Mid-size company');

    // One engagement rule: pricing page views, at most five of them.
    await page.getByRole('button', { name: 'Add engagement rule' }).click();
    const engagementRule = page.locator('tr[data-rule="engagement-1"]');
    expect(await engagementRule.getByRole('combobox', { name: 'Activity' }).inputValue()).toBe('Page view');
    await engagementRule.getByLabel('Property').fill('url');
    await engagementRule.getByLabel('Contains').fill('/pricing');
    await engagementRule.getByLabel('Points each').fill('15');
    await engagementRule.getByLabel('Counted at most').fill('5');
    await page
      .getByLabel('What changed and why')
      .fill('First agreed definition: mid-size companies on pricing.');

    // The server refuses the empty range; its reason appears under the rule it is about.
    await page.getByRole('button', { name: 'Save draft' }).click();
    const problem = page.getByRole('alert').filter({ hasText: 'the range is empty' });
    await problem.waitFor();
    expect(await problem.textContent()).toBe('the range is empty: min 1000 is not below max 200');
    const problemRow = page.locator('tr', { has: problem });
    expect(await problemRow.evaluate((row) => row.previousElementSibling?.getAttribute('data-rule'))).toBe(
      'fit-1',
    );
    await page.screenshot({ path: path.join(screenshots, 'lead-definition-editor-problem.png') });

    await fitRule.getByLabel('From').fill('200');
    await fitRule.getByLabel('Up to').fill('5000');
    expect(await page.getByRole('alert').filter({ hasText: 'the range is empty' }).count()).toBe(0);
    expect(await page.getByTestId('draft-sentence').textContent()).toBe(
      'With this draft, a lead is sales-ready (MQL) when its fit grade is B or better (40+ fit points) and its engagement is at least 50 points.',
    );
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: path.join(screenshots, 'lead-definition-editor.png'), fullPage: true });
    await page.getByRole('button', { name: 'Save draft' }).click();

    // Back on the page: version 1 is a draft that both teams still have to sign.
    const versions = page.getByRole('table', { name: 'Versions' });
    await versions.waitFor();
    const v1 = versions.locator('tr[data-version="1"]');
    expect(await v1.getByText('draft', { exact: true }).isVisible()).toBe(true);
    expect(await v1.locator('[data-column="signatures"]').textContent()).toBe(
      'waiting for marketing and sales',
    );
    const [saved] = (await apiGet<{ items: DefinitionVersion[] }>(page, '/api/lead-definitions')).items;
    expect(saved?.rules.fit.rules).toEqual([
      {
        id: 'fit-1',
        label: 'Mid-size company',
        field: 'account.employees',
        op: 'range',
        min: 200,
        max: 5000,
        points: 40,
      },
    ]);
    expect(saved?.rules.engagement.rules).toEqual([
      {
        id: 'engagement-1',
        label: 'Page view where url contains “/pricing”',
        activityType: 'page_view',
        where: { property: 'url', contains: '/pricing' },
        points: 15,
        maxCount: 5,
      },
    ]);

    // The admin is on the sales team: signing leaves the version waiting for marketing only.
    await v1.getByRole('button', { name: 'Sign for sales' }).click();
    await expect
      .poll(() => v1.locator('[data-column="signatures"]').textContent())
      .toMatch(/^✓ .+ \(sales\), .+waiting for marketing$/);
    expect(await v1.getByRole('button', { name: /^Sign for/ }).count()).toBe(0);
    expect(await v1.getByRole('button', { name: 'Publish' }).count()).toBe(0);
    expect(await page.getByTestId('no-definition').textContent()).toContain(
      'Version 1 is waiting for marketing.',
    );
    const signed = await apiGet<DefinitionVersion>(page, '/api/lead-definitions/1');
    expect(signed.signatures.map((signature) => signature.team)).toEqual(['sales']);
    expect(signed.missingSignatures).toEqual(['marketing']);
    await page.screenshot({ path: path.join(screenshots, 'lead-definition.png'), fullPage: true });

    // A lead opened from People: their fields, no score yet, and how they moved through the funnel.
    await page.getByRole('link', { name: /^People/ }).click();
    const people = page.getByRole('table', { name: 'People' });
    await people.waitFor();
    // A lead that went a long way has a history worth reading: pick one in SQL.
    await pick(page, 'Stage', 'SQL');
    await expect.poll(async () => (await tableRows(people)).every((cells) => cells[3] === 'SQL')).toBe(true);
    const [firstName] = (await tableRows(people))[0] ?? [];
    await people.locator('tbody tr').first().click();
    await page.waitForURL(/\/people\/[0-9a-f-]{36}$/);
    const personId = new URL(page.url()).pathname.split('/').at(-1) ?? '';
    await page.getByRole('heading', { name: firstName, level: 2 }).waitFor();
    await page.getByTestId('no-score').waitFor();
    const transitions = (
      await apiGet<{ items: StageTransition[] }>(page, `/api/people/${personId}/transitions`)
    ).items;
    expect(transitions.map((transition) => transition.toStage)).toContain('sql');
    const history = page.getByLabel('Stage history');
    await history.waitFor();
    expect(await history.locator('.mantine-Timeline-item').count()).toBe(transitions.length);
    expect(await page.getByTestId('lead-stage').textContent()).toBe('SQL');
    await page.screenshot({ path: path.join(screenshots, 'lead.png'), fullPage: true });
    await context.close();
  });
});

describe('a definition in force, as the pages show it', () => {
  // The demo has no marketing user who can sign in, so no version can be published from a browser here.
  // These answers stand in for the server's: same shapes, typed from the same schemas.
  test('the page says the rule in one sentence, and a lead shows which rules gave its points', async () => {
    const context = await browser.newContext({ viewport: laptopViewport });
    context.setDefaultTimeout(15_000);
    const page = await context.newPage();
    const inForce: DefinitionVersion = {
      version: 3,
      status: 'in force',
      rules: {
        fit: {
          rules: [
            {
              id: 'industry',
              field: 'account.industry',
              op: 'in',
              values: ['Software', 'Manufacturing'],
              points: 30,
            },
            { id: 'size', field: 'account.employees', op: 'range', min: 200, max: 5000, points: 20 },
            {
              id: 'leader',
              label: 'Decision maker',
              field: 'person.title',
              op: 'contains',
              value: 'VP',
              points: 15,
            },
            { id: 'student', field: 'person.emailDomain', op: 'contains', value: '.edu', points: -40 },
          ],
          gradeCutoffs: { A: 60, B: 40, C: 20 },
        },
        engagement: {
          rules: [
            {
              id: 'pricing',
              activityType: 'page_view',
              where: { property: 'url', contains: '/pricing' },
              points: 15,
              maxCount: 4,
              withinDays: 30,
            },
            { id: 'meeting', activityType: 'meeting', points: 30 },
            { id: 'webinar', activityType: 'webinar', points: 10, maxCount: 3 },
          ],
          halfLifeDays: 45,
        },
        mql: { minGrade: 'B', minEngagement: 60 },
      },
      note: 'Pricing visits count; students do not fit.',
      createdAt: '2026-10-20T09:00:00.000Z',
      publishedAt: '2026-11-01T09:00:00.000Z',
      effectiveFrom: '2026-11-01T09:00:00.000Z',
      signatures: [
        { team: 'marketing', userId: 'u1', name: 'Maya Chen', signedAt: '2026-10-24T09:00:00.000Z' },
        { team: 'sales', userId: 'u2', name: 'Sam Ortiz', signedAt: '2026-10-27T09:00:00.000Z' },
      ],
      missingSignatures: [],
      rescoring: { total: 1200, done: 1200, madeMql: 87, finishedAt: '2026-11-01T09:04:00.000Z' },
    };
    await page.route('**/api/lead-definitions', (route) => route.fulfill({ json: { items: [inForce] } }));
    await page.route('**/api/people/*/score', (route) =>
      route.fulfill({
        json: {
          version: 3,
          fit: {
            points: 65,
            grade: 'A',
            hits: [
              {
                rule: 'industry',
                label: 'Company industry is one of “Software”, “Manufacturing”',
                points: 30,
              },
              { rule: 'size', label: 'Company employees is 200 to under 5,000', points: 20 },
              { rule: 'leader', label: 'Decision maker', points: 15 },
            ],
          },
          engagement: {
            points: 72.4,
            hits: [
              { rule: 'pricing', label: 'Page view where url contains “/pricing”', points: 28.1, count: 2 },
              { rule: 'meeting', label: 'Meeting', points: 29.5, count: 1 },
              { rule: 'webinar', label: 'Webinar', points: 14.8, count: 2 },
            ],
          },
          isMql: true,
          verdict: 'MQL: fit grade A (needs B or better) and engagement 72.4 (needs 60).',
        },
      }),
    );
    await page.goto(`${server.url}/lead-definition`);
    await signIn(page, adminEmail, adminPassword);
    const sentence = page.getByTestId('definition-sentence');
    await expect
      .poll(() => sentence.textContent())
      .toBe(
        'A lead is sales-ready (MQL) when its fit grade is B or better and its engagement is at least 60 points — version 3, signed by Maya Chen (marketing) and Sam Ortiz (sales), in force since Nov 1, 2026.',
      );
    // A label someone wrote follows the condition; a rule without one is not shown by its id.
    expect(await tableRows(page.getByRole('table', { name: 'Fit rules' }))).toEqual([
      ['Company industry is one of “Software”, “Manufacturing”', '+30'],
      ['Company employees is 200 to under 5,000', '+20'],
      ['Job title contains “VP”Decision maker', '+15'],
      ['Email domain contains “.edu”', '-40'],
    ]);
    expect((await tableRows(page.getByRole('table', { name: 'Engagement rules' })))[0]).toEqual([
      'Page view',
      'url contains “/pricing”',
      '+15',
      '4 times',
      '30 days',
    ]);
    await page.screenshot({ path: path.join(screenshots, 'lead-definition-in-force.png'), fullPage: true });

    await page.getByRole('link', { name: /^People/ }).click();
    const people = page.getByRole('table', { name: 'People' });
    await people.waitFor();
    await people.locator('tbody tr').first().click();
    const verdict = page.getByTestId('verdict');
    await verdict.waitFor();
    expect(await verdict.textContent()).toBe(
      'MQL: fit grade A (needs B or better) and engagement 72.4 (needs 60).',
    );
    const chart = page.getByRole('img', { name: /^Points by rule: / });
    expect(await chart.getAttribute('aria-label')).toContain(
      'Page view where url contains “/pricing” ×2 +28.1',
    );
    await page.screenshot({ path: path.join(screenshots, 'lead-scored.png'), fullPage: true });
    await context.close();
  });
});
