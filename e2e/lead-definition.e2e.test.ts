import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type {
  Backtest,
  DefinitionDiff,
  DefinitionVersion,
  LeadScore,
  Learned,
  StageTransition,
} from '../web/src/api/types.ts';
import { formatCount, formatDate, formatDateTime, fromLocalInput, toLocalInput } from '../web/src/format.ts';
import { customRange, periodRange } from '../web/src/leadDefinition/backtestWords.ts';
import { diffLines, diffSummary } from '../web/src/leadDefinition/diffWords.ts';
import { calibration, calibrationSentence, decileLabel } from '../web/src/leadDefinition/learnedWords.ts';
import { madeMqlWords } from '../web/src/leadDefinition/rescoringWords.ts';
import { tomorrowMorning } from '../web/src/leadDefinition/versionWords.ts';
import { laptopViewport } from './support/chromium.ts';
import { expectedRate, signIn, tableRows } from './support/funnelPage.ts';
import { apiGet, type Stage, screenshots, setStage } from './support/stage.ts';

const adminEmail = 'admin@demo.lockstep.dev';
const marketingEmail = 'maya.lindqvist@demo.lockstep.dev';
const salesEmail = 'rachel.kim@demo.lockstep.dev';
// Every demo user signs in with the demo password.
const adminPassword = 'e2e-demo-password-43';

let stage: Stage;
let browser: Browser;
let server: Stage['server'];

beforeAll(async () => {
  // The demo without its lead definition: this story writes, signs and publishes the first one.
  stage = await setStage({
    LOCKSTEP_DEMO: 'true',
    LOCKSTEP_DEMO_DEFINITION: 'false',
    LOCKSTEP_ADMIN_PASSWORD: adminPassword,
  });
  ({ browser, server } = stage);
});

afterAll(async () => {
  await stage?.close();
});

/** A lead still new, with an email, at a company of 200 to under 5,000 people: version 1's fit. */
async function newLeadAtMidSizeCompany(page: Page): Promise<{ id: string; email: string }> {
  for (let cursor: string | null = ''; cursor !== null; ) {
    const leads: {
      items: { id: string; email: string | null; accountId: string | null }[];
      nextCursor: string | null;
    } = await apiGet(page, `/api/people?stage=new&limit=100${cursor ? `&cursor=${cursor}` : ''}`);
    for (const lead of leads.items) {
      if (!lead.email || !lead.accountId) continue;
      const account = await apiGet<{ employees: number | null }>(page, `/api/accounts/${lead.accountId}`);
      if (account.employees !== null && account.employees >= 200 && account.employees < 5000) {
        return { id: lead.id, email: lead.email };
      }
    }
    cursor = leads.nextCursor;
  }
  throw new Error('the demo has no new lead at a company of 200 to under 5,000 people');
}

async function pick(page: Page, combobox: string, option: string): Promise<void> {
  await page.getByRole('combobox', { name: combobox, exact: true }).click();
  await page.getByRole('option', { name: option, exact: true }).click();
}

describe('the lead definition in a browser', () => {
  test('the demo admin drafts the first definition, the sales approver signs it, and reads a lead', async () => {
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
    await engagementRule.getByLabel('Points each').fill('30');
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
        points: 30,
        maxCount: 5,
      },
    ]);

    // The admin is on the sales team but does not approve for it: the page names who does instead of
    // offering a Sign button that would be refused.
    const onlyApprovers = v1.getByTestId('only-approvers-sign');
    await onlyApprovers.waitFor();
    expect(await onlyApprovers.textContent()).toBe(
      'Only sales approvers can sign: Rachel Kim (an admin chooses them on the Team page).',
    );
    expect(await v1.getByRole('button', { name: /^Sign for/ }).count()).toBe(0);
    expect(await page.getByTestId('who-signs').textContent()).toBe(
      'Signs for marketing: Maya Lindqvist · for sales: Rachel Kim',
    );

    // Rachel, the sales approver, signs: the version waits for marketing only.
    await signOut(page);
    await signIn(page, salesEmail, adminPassword);
    await v1.getByRole('button', { name: 'Sign for sales' }).click();
    await expect
      .poll(() => v1.locator('[data-column="signatures"]').textContent())
      .toMatch(/^✓ .+ \(sales\), .+waiting for marketing$/);
    expect(await v1.getByRole('button', { name: /^Sign for/ }).count()).toBe(0);
    expect(await v1.getByRole('button', { name: 'Publish' }).count()).toBe(0);
    expect(await page.getByTestId('no-definition').textContent()).toContain(
      'Version 1 is waiting for marketing.',
    );
    // The step still to take names who takes it.
    expect(await page.getByTestId('no-definition').textContent()).toContain(
      'Marketing signs that exact version: Maya Lindqvist.',
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

// The story goes on where the test above left it: version 1 is signed for sales and waits for marketing.
// These tests run in order on the same server, each starting from what the one before it did.
describe('from a draft to a definition in force, and the next one tried on history', () => {
  test('marketing signs, the admin publishes, every lead is re-scored, and a lead shows why it scores', async () => {
    const context = await browser.newContext({ viewport: laptopViewport });
    context.setDefaultTimeout(15_000);
    const page = await context.newPage();
    await page.goto(`${server.url}/lead-definition`);

    // Maya signs for marketing, and cannot publish: that is an admin's step.
    await signIn(page, marketingEmail, adminPassword);
    const v1 = page.locator('tr[data-version="1"]');
    await v1.getByRole('button', { name: 'Sign for marketing' }).click();
    await expect.poll(() => v1.locator('[data-column="signatures"]').textContent()).toContain('(marketing)');
    expect(await v1.getByText('An admin publishes it').isVisible()).toBe(true);
    await signOut(page);

    // A new lead at a mid-size company views pricing twice this morning: enough, under version 1, to
    // be sales-ready. (Whether any demo lead already is depends on the hour the demo was made.)
    await signIn(page, adminEmail, adminPassword);
    const publish = v1.getByRole('button', { name: 'Publish' });
    await publish.waitFor();
    const ready = await newLeadAtMidSizeCompany(page);
    for (const hoursAgo of [3, 1]) {
      const viewed = await page.request.post(`${server.url}/api/activities`, {
        data: {
          personId: ready.id,
          type: 'page_view',
          occurredAt: new Date(Date.now() - hoursAgo * 3_600_000).toISOString(),
          properties: { url: '/pricing' },
        },
      });
      expect(viewed.status()).toBe(201);
    }

    // The admin publishes, now; the page says the rule in one sentence and how the re-scoring goes.
    await publish.click();
    const publishing = page.getByRole('dialog');
    expect(await publishing.getByTestId('publish-sentence').textContent()).toBe(
      'Version 1 becomes the lead definition now, and every lead is re-scored by it.',
    );
    await publishing.getByRole('button', { name: 'Publish now' }).click();
    const sentence = page.getByTestId('definition-sentence');
    await expect.poll(() => sentence.textContent()).toMatch(/^A lead is sales-ready \(MQL\) when/);
    const rescoring = page.getByTestId('rescoring');
    await expect.poll(() => rescoring.textContent(), { timeout: 60_000 }).toMatch(/^All .+ re-scored/);
    const published = await apiGet<DefinitionVersion>(page, '/api/lead-definitions/1');
    expect(published.status).toBe('in force');
    expect(await sentence.textContent()).toBe(
      `A lead is sales-ready (MQL) when its fit grade is B or better and its engagement is at least 50 points — version 1, signed by ${published.signatures.map((s) => `${s.name} (${s.team})`).join(' and ')}, in force since ${formatDate(published.effectiveFrom ?? '')}.`,
    );
    const { rescoring: done } = published;
    expect(done).toMatchObject({ done: done?.total, step: 'mql', checked: done?.qualified, share: 1 });
    expect(await rescoring.textContent()).toBe(
      `All ${formatCount(done?.total ?? -1)} leads were re-scored by version 1 on ${formatDate(done?.finishedAt ?? '')}; ${madeMqlWords(done?.madeMql ?? -1)}.`,
    );
    expect(await v1.getByText('in force', { exact: true }).isVisible()).toBe(true);
    expect(published.publishedBy).toBe('Dana Admin');
    expect(await v1.locator('[data-column="status"]').textContent()).toBe(
      `in forcein force since ${formatDate(published.effectiveFrom ?? '')}published by Dana Admin`,
    );
    expect(await tableRows(page.getByRole('table', { name: 'Fit rules' }))).toEqual([
      ['Company employees 200 to under 5,000Mid-size company', '+40'],
    ]);
    await page.screenshot({ path: path.join(screenshots, 'lead-definition-in-force.png'), fullPage: true });

    // The lead that viewed pricing is an MQL now, made so by this version; opened from People, its
    // page explains the same score the API gives.
    expect(done?.madeMql).toBeGreaterThanOrEqual(1);
    expect((await apiGet<{ stage: string | null }>(page, `/api/people/${ready.id}`)).stage).toBe('mql');
    const scoredScore = await apiGet<LeadScore>(page, `/api/people/${ready.id}/score`);
    expect(scoredScore.isMql).toBe(true);
    await page.getByRole('link', { name: /^People/ }).click();
    const people = page.getByRole('table', { name: 'People' });
    await people.waitFor();
    await pick(page, 'Stage', 'MQL');
    await page.getByLabel('Search').fill(ready.email);
    await expect.poll(async () => (await tableRows(people)).map((cells) => cells[3])).toEqual(['MQL']);
    // Its grade and engagement points are in the list already.
    expect((await tableRows(people))[0]?.[4]).toBe(
      `${scoredScore.fit.grade}${Math.round(scoredScore.engagement.points)} pts`,
    );
    await people.locator('tbody tr').first().click();
    await page.waitForURL(/\/people\/[0-9a-f-]{36}$/);
    const personId = new URL(page.url()).pathname.split('/').at(-1) ?? '';
    const verdict = page.getByTestId('verdict');
    await verdict.waitFor();
    const score = await apiGet<LeadScore>(page, `/api/people/${personId}/score`);
    expect(score.version).toBe(1);
    expect(await verdict.textContent()).toBe(score.verdict);
    const explanation = page.getByTestId('score-explanation');
    expect(await explanation.getByText(`grade ${score.fit.grade}`, { exact: true }).isVisible()).toBe(true);
    // Fit and engagement each show their points; the same text twice when the two are equal (the
    // engagement of the first MQL decays with the clock, so some days it equals the fit points).
    const shown = score.fit.points === score.engagement.points ? 2 : 1;
    expect(await explanation.getByText(`${score.fit.points} points`, { exact: true }).count()).toBe(shown);
    expect(await explanation.getByText(`${score.engagement.points} points`, { exact: true }).count()).toBe(
      shown,
    );
    const hits = [...score.fit.hits, ...score.engagement.hits];
    expect(hits.length).toBeGreaterThan(0);
    const bars = hits.map((hit) => {
      const name = hit.count && hit.count > 1 ? `${hit.label} ×${hit.count}` : hit.label;
      return `${name} ${hit.points > 0 ? '+' : ''}${hit.points}`;
    });
    expect(await page.getByRole('img', { name: /^Points by rule: / }).getAttribute('aria-label')).toBe(
      `Points by rule: ${bars.join(', ')}`,
    );
    await page.screenshot({ path: path.join(screenshots, 'lead-scored.png'), fullPage: true });
    await context.close();
  }, 120_000);

  test('a second draft, backtested last quarter against the one in force, with the same numbers as the API', async () => {
    const context = await browser.newContext({ viewport: laptopViewport });
    context.setDefaultTimeout(15_000);
    const page = await context.newPage();
    await page.goto(`${server.url}/lead-definition/new`);
    await signIn(page, adminEmail, adminPassword);

    // The draft starts from version 1 and lowers the engagement bar.
    const bar = page.getByLabel('and engagement points at least');
    await expect.poll(() => bar.inputValue()).toBe('50');
    await bar.fill('25');
    await page
      .getByLabel('What changed and why')
      .fill('Sales has room for more leads: lower the engagement bar.');
    await page.getByRole('button', { name: 'Save draft' }).click();
    const v2 = page.locator('tr[data-version="2"]');
    await v2.waitFor();

    await v2.getByRole('button', { name: 'Backtest' }).click();
    const panel = page.getByRole('dialog');
    const backtestSentence = panel.getByTestId('backtest-sentence');
    await backtestSentence.waitFor();
    const quarter = periodRange('quarter');
    const api = await apiGet<Backtest>(
      page,
      `/api/lead-definitions/2/backtest?from=${quarter.from}&to=${quarter.to}`,
    );
    const inForce = api.inForce;
    if (!inForce) throw new Error('version 1 is in force: the backtest must compare with it');
    expect(inForce.version).toBe(1);
    // A lower bar can only add MQLs: the test would mean little if it added none.
    expect(api.candidate.mqls).toBeGreaterThan(inForce.mqls);
    expect(api.movedOut.count).toBe(0);
    expect(api.movedIn.count).toBe(api.candidate.mqls - inForce.mqls);

    const change = Math.round(((api.candidate.mqls - inForce.mqls) / inForce.mqls) * 100);
    expect(await backtestSentence.textContent()).toBe(
      `Version 2 would have made ${formatCount(api.candidate.mqls)} MQLs ${quarter.phrase} instead of ${formatCount(inForce.mqls)} (+${change}%); ${rate(api.candidate.accepted, api.candidate.mqls)} of them were later accepted by sales, against ${rate(inForce.accepted, inForce.mqls)}.`,
    );
    const comparison = (await tableRows(panel.getByRole('table', { name: 'Backtest comparison' }))).map(
      (cells) => cells.slice(1, 3),
    );
    const counts = (side: typeof inForce) => [side.mqls, side.accepted, side.sql, side.won].map(formatCount);
    expect(comparison).toEqual([
      ...counts(api.candidate).map((count, index) => [count, counts(inForce)[index]]),
      [rate(api.candidate.accepted, api.candidate.mqls), rate(inForce.accepted, inForce.mqls)],
      [rate(api.candidate.won, api.candidate.mqls), rate(inForce.won, inForce.mqls)],
    ]);
    expect(await panel.getByTestId('moved-in-count').textContent()).toBe(formatCount(api.movedIn.count));
    expect(await panel.getByTestId('moved-out-count').textContent()).toBe('0');
    const firstMoved = api.movedIn.sample[0];
    const movedLink = panel.getByTestId('moved-in').getByRole('link').first();
    expect(await movedLink.textContent()).toBe(firstMoved?.email);
    expect(await movedLink.getAttribute('href')).toBe(`/people/${firstMoved?.id}`);
    const changes = panel.getByTestId('what-changed');
    await changes.waitFor();
    expect(await changes.textContent()).toContain('What changed against version 1');
    expect(await changes.textContent()).toContain('MQL needs engagement: 50 → 25');
    await page.screenshot({ path: path.join(screenshots, 'backtest.png') });

    // Another period gives that period's numbers.
    await panel.getByText('Last 12 months', { exact: true }).click();
    const year = periodRange('365');
    const yearApi = await apiGet<Backtest>(
      page,
      `/api/lead-definitions/2/backtest?from=${year.from}&to=${year.to}`,
    );
    await expect
      .poll(() => backtestSentence.textContent())
      .toContain(
        `would have made ${formatCount(yearApi.candidate.mqls)} MQLs in the last 12 months instead of ${formatCount(yearApi.inForce?.mqls ?? -1)}`,
      );

    // Days of one's own: a month, from two months ago, gives that month's numbers.
    await panel.getByText('Custom dates', { exact: true }).click();
    const day = (daysAgo: number) => new Date(Date.now() - daysAgo * 86_400_000).toISOString().slice(0, 10);
    const [firstDay, lastDay] = [day(60), day(31)];
    await panel.getByLabel('First day').fill(firstDay);
    await panel.getByLabel('Last day').fill(lastDay);
    const month = customRange(firstDay, lastDay);
    if ('problem' in month) throw new Error(month.problem);
    const monthApi = await apiGet<Backtest>(
      page,
      `/api/lead-definitions/2/backtest?from=${month.from}&to=${month.to}`,
    );
    await expect
      .poll(() => backtestSentence.textContent())
      .toContain(
        `would have made ${formatCount(monthApi.candidate.mqls)} MQLs ${month.phrase} instead of ${formatCount(monthApi.inForce?.mqls ?? -1)}`,
      );
    expect(await panel.getByTestId('backtest-days').textContent()).toBe(`Leads who arrived ${month.label}`);
    // A last day still to come is refused where it is typed, and nothing runs.
    await panel.getByLabel('Last day').fill(day(-3));
    await panel.getByText('The last day is still to come: choose today or earlier.').waitFor();
    expect(await panel.getByTestId('backtest').count()).toBe(0);
    await panel.getByLabel('Last day').fill(lastDay);
    await backtestSentence.waitFor();

    // A lead only the draft would make an MQL opens on its own page.
    const leadHref = (await movedLink.getAttribute('href')) ?? '';
    expect(leadHref).toMatch(/^\/people\/[0-9a-f-]{36}$/);
    await movedLink.click();
    await page.waitForURL(`**${leadHref}`);
    await page.getByTestId('verdict').waitFor();
    await context.close();
  });

  test('Lockstep learns fit points from won deals and proposes them as a draft', async () => {
    const context = await browser.newContext({ viewport: laptopViewport });
    context.setDefaultTimeout(15_000);
    const page = await context.newPage();
    await page.goto(`${server.url}/lead-definition`);
    await signIn(page, salesEmail, adminPassword);

    await page.getByRole('button', { name: 'Learn from outcomes' }).click();
    const dialog = page.getByRole('dialog');
    expect(await dialog.getByRole('radio', { name: 'Won deals' }).isChecked()).toBe(true);
    const answer = page.waitForResponse((response) =>
      response.url().endsWith('/api/lead-definitions/learned'),
    );
    await dialog.getByRole('button', { name: 'Learn', exact: true }).click();
    const response = await answer;
    expect(response.status()).toBe(201);
    const learned = (await response.json()) as Learned;
    expect(learned.definition.version).toBe(3);
    expect(learned.definition.status).toBe('draft');

    const auc = dialog.getByTestId('auc-sentence');
    await auc.waitFor();
    expect(await auc.textContent()).toContain(
      `ranks a random won lead above a random lost one ${Math.round(learned.evaluation.auc * 100)}% of the time`,
    );
    const [top] = learned.evaluation.deciles;
    expect(await dialog.getByTestId('lift-sentence').textContent()).toContain(
      `Of the top 10% by learned score, ${rate(top?.positives ?? -1, top?.rows ?? 0)} were won: ${top?.lift.toFixed(1)}×`,
    );
    const chart = dialog.getByRole('img', { name: /^Lift by decile: / });
    await chart.waitFor();
    expect(await chart.getAttribute('aria-label')).toBe(
      `Lift by decile: ${learned.evaluation.deciles
        .map(
          (d) =>
            `${d.decile === 1 ? 'Top 10%' : `${(d.decile - 1) * 10 + 1}–${d.decile * 10}%`} ${d.lift.toFixed(1)}×`,
        )
        .join(', ')}`,
    );
    // Calibration: the predicted rate of each tenth against what happened, in a sentence and a chart.
    const calibrated = await dialog.getByTestId('calibration-sentence').textContent();
    expect(calibrated).toBe(calibrationSentence(learned.evaluation.deciles, 'won'));
    // Its example tenth in the API's own numbers (the words' rule picks which tenth).
    const example = calibration(learned.evaluation.deciles).example;
    const quoted = `Where it predicted ${expectedRate(example?.meanPredicted ?? -1)}, ${expectedRate(example?.observedRate ?? -1)} were won`;
    expect(calibrated?.slice(0, quoted.length)).toBe(quoted);
    const calibrationChart = dialog.getByRole('img', { name: /^Predicted and actual rate by decile: / });
    await calibrationChart.waitFor();
    expect(await calibrationChart.getAttribute('aria-label')).toBe(
      `Predicted and actual rate by decile: ${learned.evaluation.deciles
        .map(
          (d) =>
            `${decileLabel(d.decile)} predicted ${expectedRate(d.meanPredicted)}, won ${expectedRate(d.observedRate)}`,
        )
        .join('; ')}`,
    );
    await page.waitForTimeout(400); // the bars grow in for 300 ms
    await page.screenshot({ path: path.join(screenshots, 'learned.png') });

    // The new draft is in the versions, ready to be backtested and signed like any other.
    await dialog.getByRole('button', { name: 'See version 3 in the versions list' }).click();
    const v3 = page.locator('tr[data-version="3"]');
    await v3.waitFor();
    expect(await v3.getByText('draft', { exact: true }).isVisible()).toBe(true);
    expect(await v3.getByRole('button', { name: 'Sign for sales' }).isVisible()).toBe(true);
    expect(await v3.getByRole('button', { name: 'Backtest' }).isVisible()).toBe(true);
    await context.close();
  });
});

describe('publishing later, and the versions over time', () => {
  test('version 2 is scheduled for tomorrow morning and version 3 put in force now; the versions say when, and by whom', async () => {
    const context = await browser.newContext({ viewport: laptopViewport });
    context.setDefaultTimeout(15_000);
    const page = await context.newPage();
    await page.goto(`${server.url}/lead-definition`);

    // Both teams' approvers sign versions 2 and 3.
    const signers = [
      [marketingEmail, 'marketing'],
      [salesEmail, 'sales'],
    ] as const;
    for (const [email, team] of signers) {
      await signIn(page, email, adminPassword);
      for (const version of [2, 3]) {
        const row = page.locator(`tr[data-version="${version}"]`);
        await row.getByRole('button', { name: `Sign for ${team}` }).click();
        await expect
          .poll(() => row.locator('[data-column="signatures"]').textContent())
          .toContain(`(${team})`);
      }
      await signOut(page);
    }
    await signIn(page, adminEmail, adminPassword);
    const v1 = page.locator('tr[data-version="1"]');
    const v2 = page.locator('tr[data-version="2"]');
    const v3 = page.locator('tr[data-version="3"]');
    for (const row of [v2, v3]) await row.getByRole('button', { name: 'Publish' }).waitFor();

    // What version 3 changes, against the version in force first, then against version 2.
    await v3.getByRole('button', { name: 'Backtest' }).click();
    const panel = page.getByRole('dialog');
    const changes = panel.getByTestId('what-changed');
    await changes.getByRole('heading', { name: 'What changed against version 1' }).waitFor();
    await pick(page, 'Compare with', 'Version 2 (signed)');
    await changes.getByRole('heading', { name: 'What changed against version 2' }).waitFor();
    const against2 = await apiGet<DefinitionDiff>(page, '/api/lead-definitions/3/diff?against=2');
    expect(against2.settings.length).toBeGreaterThan(0);
    await expect
      .poll(() => changes.textContent())
      .toContain(`What changed against version 2${diffSummary(diffLines(against2))}`);
    await page.keyboard.press('Escape');
    await panel.waitFor({ state: 'hidden' });

    // Version 2, later: tomorrow at 9:00 is offered; a time that has passed is refused before it is sent.
    await v2.getByRole('button', { name: 'Publish' }).click();
    const publishing = page.getByRole('dialog');
    await publishing.getByText('Later', { exact: true }).click();
    const start = publishing.getByLabel('Takes effect on');
    expect(await start.inputValue()).toBe(tomorrowMorning());
    const tomorrow = fromLocalInput(tomorrowMorning()) ?? '';
    expect(await publishing.getByTestId('publish-sentence').textContent()).toBe(
      `Version 2 replaces version 1 as the lead definition on ${formatDateTime(tomorrow)}; until then version 1 stays in force. Every lead is re-scored by it when it takes effect.`,
    );
    await start.fill(toLocalInput(new Date(Date.now() - 3_600_000).toISOString()));
    await publishing.getByText('That time has passed: choose a later one, or publish now.').waitFor();
    expect(await publishing.getByRole('button', { name: 'Publish later' }).isDisabled()).toBe(true);
    await start.fill(tomorrowMorning());
    await page.screenshot({ path: path.join(screenshots, 'lead-definition-publish-later.png') });

    // When the API refuses, its reason shows in the dialog, which stays open.
    await page.route(
      '**/api/lead-definitions/2/publish',
      (route) =>
        route.fulfill({
          status: 400,
          contentType: 'application/json',
          body: JSON.stringify({
            error: { code: 'validation_failed', message: 'A version cannot take effect in the past.' },
          }),
        }),
      { times: 1 },
    );
    const confirm = publishing.getByRole('button', { name: `Publish for ${formatDateTime(tomorrow)}` });
    await confirm.click();
    await publishing.getByRole('alert').waitFor();
    expect(await publishing.getByRole('alert').textContent()).toContain(
      'A version cannot take effect in the past.',
    );
    await confirm.click();
    await publishing.waitFor({ state: 'hidden' });
    const scheduled = await apiGet<DefinitionVersion>(page, '/api/lead-definitions/2');
    expect(scheduled).toMatchObject({
      status: 'scheduled',
      effectiveFrom: tomorrow,
      publishedBy: 'Dana Admin',
    });
    await expect
      .poll(() => v2.locator('[data-column="status"]').textContent())
      .toBe(`scheduledtakes effect ${formatDateTime(tomorrow)}published by Dana Admin`);

    // Version 3, now: the admin is told version 2 still takes over tomorrow.
    await v3.getByRole('button', { name: 'Publish' }).click();
    expect(await publishing.getByTestId('publish-sentence').textContent()).toBe(
      `Version 3 replaces version 1 as the lead definition now, and every lead is re-scored by it. Version 2 is scheduled after it and still takes over on ${formatDateTime(tomorrow)}.`,
    );
    await publishing.getByRole('button', { name: 'Publish now' }).click();
    await publishing.waitFor({ state: 'hidden' });
    const [first, third] = await Promise.all([
      apiGet<DefinitionVersion>(page, '/api/lead-definitions/1'),
      apiGet<DefinitionVersion>(page, '/api/lead-definitions/3'),
    ]);
    expect([first.status, third.status]).toEqual(['superseded', 'in force']);
    await expect
      .poll(() => v3.locator('[data-column="status"]').textContent())
      .toBe(`in forcein force since ${formatDate(third.effectiveFrom ?? '')}published by Dana Admin`);
    // Version 1 was in force from its start until version 3's; within one day, to the minute.
    const [from, until] = [first.effectiveFrom ?? '', third.effectiveFrom ?? ''];
    const when = formatDate(from) === formatDate(until) ? formatDateTime : formatDate;
    expect(await v1.locator('[data-column="status"]').textContent()).toBe(
      `supersededin force ${when(from)} – ${when(until)}published by Dana Admin`,
    );
    await page.getByRole('table', { name: 'Versions' }).scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(screenshots, 'lead-definition-versions.png') });
    await context.close();
  });
});

async function signOut(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByRole('button', { name: 'Sign in' }).waitFor();
}

/** The rate the page shows for part of whole: one decimal, as format.ts writes it. */
const rate = (part: number, whole: number) => expectedRate(whole === 0 ? null : part / whole);
