import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Disposition, Queue } from '../web/src/api/queue.ts';
import type { FeedbackReport } from '../web/src/feedback/feedbackApi.ts';
import { humanize, lookbackStart } from '../web/src/format.ts';
import type { Breach, SlaReport } from '../web/src/promises/promisesApi.ts';
import { alertWords } from '../web/src/promises/words.ts';
import { laptopViewport } from './support/chromium.ts';
import { signIn, tableRows } from './support/funnelPage.ts';
import { type Stage, screenshots, setStage } from './support/stage.ts';

const password = 'e2e-demo-password-42';
const rep = 'leo.martins@demo.lockstep.dev';
const marketer = 'maya.lindqvist@demo.lockstep.dev';
const admin = 'admin@demo.lockstep.dev';
const note = 'Agency reselling to their clients, not a buyer';
const insightText = 'They run Globex today and asked for a side-by-side on routing.';

let stage: Stage;
let browser: Browser;
let server: Stage['server'];

beforeAll(async () => {
  stage = await setStage({ LOCKSTEP_DEMO: 'true', LOCKSTEP_ADMIN_PASSWORD: password });
  ({ browser, server } = stage);
});

afterAll(async () => {
  await stage?.close();
});

async function signedIn(email: string): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: laptopViewport, acceptDownloads: true });
  context.setDefaultTimeout(20_000);
  const page = await context.newPage();
  await page.goto(server.url);
  await signIn(page, email, password);
  await page.getByRole('link', { name: /^People/ }).waitFor();
  return { context, page };
}

async function api<T>(page: Page, url: string): Promise<T> {
  // page.request shares the browser's cookies: the API answers for the same signed-in person.
  const response = await page.request.get(`${server.url}${url}`);
  expect(response.status(), url).toBe(200);
  return (await response.json()) as T;
}

// The same range the Feedback page asks for by default: the last 90 whole days.
function ninetyDaysAgo(): string {
  const start = new Date();
  start.setUTCHours(0, 0, 0, 0);
  start.setUTCDate(start.getUTCDate() - 90);
  return start.toISOString();
}

describe('the hand-off in a browser', () => {
  let rejected: { personId: string; name: string; source: string | null };
  let badFitBefore: number;

  test('a sales rep works their queue: accepts one lead, rejects one with a reason, logs an insight', async () => {
    const { context, page } = await signedIn(rep);
    const queueBefore = await api<Queue>(page, '/api/queue');
    expect(queueBefore.items.length).toBeGreaterThanOrEqual(2);
    const feedbackBefore = await api<FeedbackReport>(
      page,
      `/api/feedback/report?by=source&period=month&from=${encodeURIComponent(ninetyDaysAgo())}`,
    );

    await page.getByRole('link', { name: /^My queue/ }).click();
    const table = page.getByRole('table', { name: 'My queue' });
    await table.waitFor();
    const sentence = (await page.getByTestId('queue-sentence').textContent()) ?? '';
    expect(sentence).toMatch(new RegExp(`^${queueBefore.items.length} MQLs wait for your verdict`));

    // Every row shows its countdown; overdue rows say "late" in red, the rest "left".
    const rows = table.locator('tbody tr');
    expect(await rows.count()).toBe(queueBefore.items.length);
    for (const item of queueBefore.items.slice(0, 5)) {
      const row = table.locator(`tr[data-person-id="${item.personId}"]`);
      const timeLeft = (await row.getByTestId('time-left').textContent()) ?? '';
      if (item.acceptDueAt === null) expect(timeLeft).toBe('no SLA');
      else if (item.overdue) {
        expect(timeLeft).toMatch(/ late$/);
        expect(await row.getAttribute('data-urgency')).toBe('overdue');
      } else expect(timeLeft).toMatch(/ left$/);
    }
    // Most urgent first: the page keeps the API's order of due times.
    const shownIds = await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-person-id')));
    const dueOrder = [...queueBefore.items]
      .sort((a, b) => (a.minutesLeft ?? Number.MAX_SAFE_INTEGER) - (b.minutesLeft ?? Number.MAX_SAFE_INTEGER))
      .map((item) => item.minutesLeft);
    expect(shownIds.map((id) => queueBefore.items.find((item) => item.personId === id)?.minutesLeft)).toEqual(
      dueOrder,
    );
    await page.screenshot({ path: path.join(screenshots, 'handoff-queue.png'), fullPage: true });

    const [first, second] = shownIds.map((id) => queueBefore.items.find((item) => item.personId === id)!);
    if (!first || !second) throw new Error('the queue needs two leads');
    const nameOf = (item: typeof first) => item.name ?? item.email ?? 'Unnamed lead';

    // Accept: one click.
    await table
      .locator(`tr[data-person-id="${first.personId}"]`)
      .getByRole('button', { name: /^Accept / })
      .click();
    await expect
      .poll(() => page.getByTestId('disposition-done').first().textContent())
      .toContain(`You accepted ${nameOf(first)}: now Sales-accepted (SAL).`);
    const accepted = await api<Disposition>(page, `/api/people/${first.personId}/disposition`);
    expect(accepted).toMatchObject({ decision: 'accepted', stage: 'sal', reason: null });

    // Reject: "Reject…", then the reason (a note typed first is optional) — two clicks.
    const secondRow = table.locator(`tr[data-person-id="${second.personId}"]`);
    await secondRow.getByRole('button', { name: /^Reject / }).click();
    const why = page.getByRole('group', { name: `Why reject ${nameOf(second)}?` });
    await why.getByLabel('Note for marketing (optional)').fill(note);
    await expect
      .poll(() => why.getByRole('button', { name: 'Not now' }).textContent())
      .toContain("marketing's nurture");
    await page.waitForTimeout(300); // the popover fades in
    await page.screenshot({ path: path.join(screenshots, 'handoff-reject-reasons.png') });
    await why.getByRole('button', { name: 'Bad fit', exact: true }).click();
    await expect
      .poll(() => page.getByTestId('disposition-done').first().textContent())
      .toContain(`You rejected ${nameOf(second)} (Bad fit): now disqualified.`);
    const rejection = await api<Disposition>(page, `/api/people/${second.personId}/disposition`);
    expect(rejection).toMatchObject({ decision: 'rejected', reason: 'bad_fit', note, stage: 'disqualified' });

    // Both leave the queue.
    await expect.poll(() => rows.count()).toBe(queueBefore.items.length - 2);
    expect(await table.locator(`tr[data-person-id="${first.personId}"]`).count()).toBe(0);

    // A field insight on the next lead, from the same row.
    const third = queueBefore.items.find(
      (item) => ![first.personId, second.personId].includes(item.personId),
    );
    if (!third) throw new Error('the queue needs a third lead');
    await table
      .locator(`tr[data-person-id="${third.personId}"]`)
      .getByRole('button', { name: /^Log insight/ })
      .click();
    const dialog = page.getByRole('dialog', { name: 'Log a field insight' });
    await dialog.getByLabel('Which competitor?').fill('Globex');
    await dialog.getByLabel('In a sentence or two').fill(insightText);
    await dialog.getByRole('button', { name: 'Log insight' }).click();
    await expect
      .poll(() => page.getByTestId('disposition-done').first().textContent())
      .toContain(`Insight logged on ${nameOf(third)}: Competitor seen.`);

    // A lead decided elsewhere meanwhile (another tab): "Not now" sends it to nurture, and accepting it here
    // afterwards is refused with the first verdict shown in words (the 409).
    const fourth = queueBefore.items.find(
      (item) => ![first.personId, second.personId, third.personId].includes(item.personId),
    );
    if (!fourth) throw new Error('the queue needs a fourth lead');
    const elsewhere = await page.request.post(`${server.url}/api/people/${fourth.personId}/disposition`, {
      data: { decision: 'reject', reason: 'not_now' },
    });
    expect(elsewhere.status()).toBe(201);
    expect(await elsewhere.json()).toMatchObject({ stage: 'nurture' });
    await table
      .locator(`tr[data-person-id="${fourth.personId}"]`)
      .getByRole('button', { name: /^Accept / })
      .click();
    await expect
      .poll(() => page.getByTestId('disposition-error').first().textContent())
      .toMatch(
        new RegExp(
          `^${nameOf(fourth)}: Already decided: Leo Martins rejected this lead \\(Not now\\) on .+ Only the first verdict counts\\.`,
        ),
      );

    rejected = { personId: second.personId, name: nameOf(second), source: second.source };
    const group = feedbackBefore.rejectionsByGroup.find((g) => g.group === second.source);
    badFitBefore = group?.reasons.bad_fit ?? 0;
    await page.screenshot({ path: path.join(screenshots, 'handoff-queue-after.png'), fullPage: true });

    // The lead page says who has the lead, by which rule, and sales' verdict.
    await page.goto(`${server.url}/people/${second.personId}`);
    const handoff = page.getByTestId('lead-handoff');
    await expect.poll(() => handoff.textContent()).toContain(`Assigned to Leo Martins by ${second.rule}`);
    await expect.poll(() => handoff.textContent()).toContain(`Leo Martins rejected it (Bad fit) on `);
    expect(await handoff.textContent()).toContain(note);
    // Insights are logged from the lead page too (an accepted lead has left the queue).
    await page.getByRole('button', { name: 'Log field insight' }).click();
    const leadDialog = page.getByRole('dialog', { name: 'Log a field insight' });
    await leadDialog.getByRole('combobox', { name: 'What did you hear?' }).click();
    await page.getByRole('option', { name: 'Pricing objection' }).click();
    await leadDialog.getByLabel('In a sentence or two').fill('Agencies expect a partner discount.');
    await leadDialog.getByRole('button', { name: 'Log insight' }).click();
    await expect
      .poll(() => page.getByTestId('lead-insights').textContent())
      .toContain('Pricing objection“Agencies expect a partner discount.” — Leo Martins');
    await leadDialog.waitFor({ state: 'hidden' });
    await page.screenshot({ path: path.join(screenshots, 'handoff-lead.png') });
    await context.close();
  });

  test('marketing sees the rejection and the insight in Feedback', async () => {
    expect(rejected).toBeDefined();
    const { context, page } = await signedIn(marketer);
    await page.getByRole('link', { name: /^Feedback/ }).click();
    await page.getByRole('heading', { name: 'Feedback from sales' }).waitFor();
    const report = await api<FeedbackReport>(
      page,
      `/api/feedback/report?by=source&period=month&from=${encodeURIComponent(ninetyDaysAgo())}`,
    );
    const group = report.rejectionsByGroup.find((g) => g.group === rejected.source);
    expect(group?.reasons.bad_fit).toBe(badFitBefore + 1);

    // The table shows the same count in the lead's source row, "Bad fit" column.
    const table = page.getByRole('table', { name: 'Verdicts by source' });
    await table.waitFor();
    const headers = await table.locator('thead th').allTextContents();
    const badFitColumn = headers.indexOf('Bad fit');
    expect(badFitColumn).toBeGreaterThan(0);
    const sourceLabel = rejected.source ? humanize(rejected.source) : '(unknown source)';
    const row = (await tableRows(table)).find((cells) => cells[0] === sourceLabel);
    expect(row?.[badFitColumn]).toBe(String(badFitBefore + 1));

    await expect
      .poll(() => page.getByTestId('feedback-sentence').textContent())
      .toMatch(/^Sales accepted \d+\.\d% of the /);
    await page.getByRole('img', { name: /^Acceptance rate over time: / }).waitFor();
    await page.getByRole('img', { name: /^Rejections by source: / }).waitFor();
    await expect.poll(() => page.getByTestId('latest-insights').textContent()).toContain(insightText);
    await page.screenshot({ path: path.join(screenshots, 'handoff-feedback.png'), fullPage: true });
    await context.close();
  });

  test('Promises shows both sides, with the same numbers as the API; admins edit the settings', async () => {
    const { context, page } = await signedIn(admin);
    // The page reports the 90 days before today (UTC); a run that crosses midnight has two such
    // periods, and the page shows one of them.
    const froms = [lookbackStart(90)];
    await page.getByRole('link', { name: /^Promises/ }).click();
    await page.getByRole('heading', { name: 'Promises' }).waitFor();
    const sales = page.getByTestId('sales-sentence');
    await sales.waitFor();
    froms.push(lookbackStart(90));
    const shown = (await sales.textContent()) ?? '';
    const answered = (report: SlaReport) => {
      const { total } = report.sales;
      const judged = total.acceptMet + total.acceptBreached;
      return `Sales: ${((total.acceptCompliance ?? 0) * 100).toFixed(1)}% of MQLs were answered on time (${total.acceptMet.toLocaleString('en-US')} of ${judged.toLocaleString('en-US')})`;
    };
    const reports = await Promise.all(
      [...new Set(froms)].map((from) =>
        api<SlaReport>(page, `/api/sla/report?by=rep&period=month&from=${encodeURIComponent(from)}`),
      ),
    );
    const report = reports.find((candidate) => shown.includes(answered(candidate)));
    if (!report) throw new Error(`"${shown}" states none of: ${reports.map(answered).join(' | ')}`);
    const { total } = report.sales;
    expect(total.mqls).toBeGreaterThan(0);
    expect(await page.getByTestId('marketing-sentence').textContent()).toMatch(
      /^Marketing: [\d,]+ MQLs this month so far/,
    );
    await page.getByRole('img', { name: /^Answered on time: / }).waitFor();
    await page.getByRole('img', { name: /^MQLs per period: / }).waitFor();
    await page.getByRole('img', { name: /^MQL to SQL rate per period: / }).waitFor();

    // One row per rep, with the API's counts.
    const rows = await tableRows(page.getByRole('table', { name: 'Sales SLA compliance' }));
    expect(rows.map((cells) => cells[0])).toEqual([...report.sales.rows.map((r) => r.label), 'All']);
    expect(rows.map((cells) => cells[1])).toEqual(
      [...report.sales.rows, total].map((r) => r.mqls.toLocaleString('en-US')),
    );
    // Who was alerted, and whether they were told: the demo sends nothing, so no breach reads as told.
    const breachTable = page.getByRole('table', { name: 'SLA breaches' });
    await breachTable.waitFor();
    await expect
      .poll(async () => {
        const { items } = await api<{ items: Breach[] }>(page, '/api/sla/breaches?limit=100');
        const alerted = (await tableRows(breachTable)).map((cells) => cells[4]);
        const words = items.slice(0, alerted.length).map((b) => alertWords(b));
        return { alerted, expected: words.map(({ who, what }) => `${who ?? ''}${what}`) };
      })
      .toSatisfy(({ alerted, expected }) => alerted.length > 0 && alerted.join('|') === expected.join('|'));
    const alertedCells = (await tableRows(breachTable)).map((cells) => cells[4] ?? '');
    expect(alertedCells.filter((cell) => !cell.endsWith('not sent (no message on record)'))).toEqual([]);
    await page.getByTestId('unheard-alerts').waitFor();
    await page.screenshot({ path: path.join(screenshots, 'handoff-promises.png'), fullPage: true });

    // Routing & SLA settings: change marketing's monthly promise and see it on the page.
    await page.getByRole('tab', { name: /Routing & SLA settings/ }).click();
    await page.getByRole('table', { name: 'SLA policies' }).waitFor();
    await page.getByRole('table', { name: 'Routing rules' }).waitFor();
    await page.getByRole('table', { name: 'Reps' }).waitFor();
    await page.getByLabel('MQLs', { exact: true }).fill('321');
    await page.getByLabel('Min. MQL→SQL (%)').fill('27.5');
    await page.getByRole('button', { name: 'Save promise' }).click();
    await expect.poll(() => page.getByText('321 MQLs per month at ≥ 27.5% to SQL').count()).toBe(1);
    const promises = await api<{ items: { period: string; mqlVolume: number; minMqlToSqlRate: number }[] }>(
      page,
      '/api/sla/promises',
    );
    expect(promises.items.find((p) => p.period === 'month')).toMatchObject({
      mqlVolume: 321,
      minMqlToSqlRate: 0.275,
    });
    await page.screenshot({ path: path.join(screenshots, 'handoff-settings.png'), fullPage: true });
    await context.close();
  });
});
