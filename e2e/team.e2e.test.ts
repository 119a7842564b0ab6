import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { ApiToken } from '../web/src/api/team.ts';
import type { DefinitionVersion, User } from '../web/src/api/types.ts';
import { formatDate, formatDateTime } from '../web/src/format.ts';
import { teamSentence } from '../web/src/team/teamWords.ts';
import { laptopViewport } from './support/chromium.ts';
import { signIn } from './support/funnelPage.ts';
import { apiGet, type Stage, screenshots, setStage } from './support/stage.ts';

const adminEmail = 'admin@demo.lockstep.dev';
const repEmail = 'leo.martins@demo.lockstep.dev';
// Every demo user signs in with the demo password.
const demoPassword = 'e2e-demo-password-44';
const newcomer = { name: 'Nina Okafor', email: 'nina.okafor@example.com' };

let stage: Stage;
let browser: Browser;
let server: Stage['server'];

beforeAll(async () => {
  stage = await setStage({ LOCKSTEP_DEMO: 'true', LOCKSTEP_ADMIN_PASSWORD: demoPassword });
  ({ browser, server } = stage);
});

afterAll(async () => {
  await stage?.close();
});

/** Signs in from outside the browser, as a person's own client would: the status the API answers. */
async function signInStatus(email: string, password: string): Promise<number> {
  const response = await fetch(`${server.url}/api/auth/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  return response.status;
}

/** What a script calling with the token gets. */
async function statusWithToken(token: string): Promise<number> {
  const response = await fetch(`${server.url}/api/people?limit=1`, {
    headers: { authorization: `Bearer ${token}` },
  });
  return response.status;
}

async function pick(page: Page, combobox: string, option: string): Promise<void> {
  await page.getByRole('combobox', { name: combobox, exact: true }).click();
  await page.getByRole('option', { name: option, exact: true }).click();
}

async function secretIn(page: Page, testId: string): Promise<string> {
  const box = page.getByTestId(testId);
  await box.waitFor();
  await page.waitForTimeout(400); // the dialog fades in
  return (await box.textContent())?.trim() ?? '';
}

describe('the Team page', () => {
  test('the admin adds a teammate, chooses an approver, cannot demote the only admin, and creates and revokes a token', async () => {
    const context = await browser.newContext({ viewport: laptopViewport });
    context.setDefaultTimeout(15_000);
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: server.url });
    const page = await context.newPage();
    await page.goto(server.url);
    await signIn(page, adminEmail, demoPassword);
    await page.getByRole('link', { name: /^Team/ }).click();
    const table = page.getByRole('table', { name: 'Team' });
    await table.waitFor();

    // The team as the API has it: the sentence counts it, the table lists it in the same order.
    const users = (await apiGet<{ items: User[] }>(page, '/api/users')).items;
    expect(await page.getByTestId('team-sentence').textContent()).toBe(teamSentence(users));
    expect(await page.getByTestId('team-sentence').textContent()).toBe(
      '11 people sign in to Lockstep: 2 in marketing, 9 in sales.',
    );
    expect(await table.locator('tbody tr td:first-child').allTextContents()).toEqual(
      users.map((user) => (user.email === adminEmail ? `${user.name}you` : user.name)),
    );
    const whoSigns = page.getByTestId('who-signs');
    expect(await whoSigns.textContent()).toBe('Signs for marketing: Maya Lindqvist · for sales: Rachel Kim');
    expect(await table.locator('[data-column="approver"]').filter({ hasText: 'Approver' }).count()).toBe(2);
    await page.screenshot({ path: path.join(screenshots, 'team.png'), fullPage: true });

    // A new teammate in marketing, without a password: Lockstep makes one up and shows it once.
    await page.getByRole('button', { name: 'Add teammate' }).click();
    const form = page.getByRole('dialog', { name: 'Add a teammate' });
    await form.getByLabel('Name').fill(newcomer.name);
    await form.getByLabel('Email').fill(newcomer.email);
    await pick(page, 'Team', 'Marketing');
    // A marketing person's role follows the team.
    expect(await form.getByRole('combobox', { name: 'Role', exact: true }).inputValue()).toBe('Marketing');
    await form.getByRole('button', { name: 'Add teammate' }).click();
    const password = await secretIn(page, 'generated-password');
    expect(password.length).toBeGreaterThanOrEqual(10);
    const shown = page.getByRole('dialog', { name: `${newcomer.name} can sign in now` });
    expect(await shown.textContent()).toContain('Shown only once');
    await page.screenshot({ path: path.join(screenshots, 'team-password.png') });
    await shown.getByRole('button', { name: 'Copy password' }).click();
    await shown.getByRole('button', { name: 'Copied' }).waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(password);
    await shown.getByRole('button', { name: 'Done' }).click();
    await shown.waitFor({ state: 'hidden' });
    expect(await page.content()).not.toContain(password);
    const nina = table.locator(`tr[data-user="${newcomer.email}"]`);
    await nina.waitFor();
    expect(await signInStatus(newcomer.email, password)).toBe(200);

    // The same email twice is refused, and the reason shows under the email.
    await page.getByRole('button', { name: 'Add teammate' }).click();
    await form.getByLabel('Name').fill('Nina Again');
    await form.getByLabel('Email').fill(newcomer.email);
    await form.getByRole('button', { name: 'Add teammate' }).click();
    await form.getByText(`A user with the email ${newcomer.email} already exists.`).waitFor();
    await form.getByRole('button', { name: 'Cancel' }).click();
    await form.waitFor({ state: 'hidden' });

    // Tom becomes a marketing approver: the mark shows in his row and he is named as a signer.
    const tom = table.locator('tr[data-user="tom.becker@demo.lockstep.dev"]');
    await tom.getByRole('button', { name: 'Make approver' }).click();
    await expect.poll(() => tom.locator('[data-column="approver"]').textContent()).toBe('✓ Approver');
    expect(await tom.getByRole('button', { name: 'Remove approver' }).isVisible()).toBe(true);
    expect(await whoSigns.textContent()).toBe(
      'Signs for marketing: Maya Lindqvist and Tom Becker · for sales: Rachel Kim',
    );
    const tomNow = (await apiGet<{ items: User[] }>(page, '/api/users')).items.find(
      (user) => user.name === 'Tom Becker',
    );
    expect(tomNow?.approver).toBe(true);

    // Dana is the only admin: making her a sales rep is refused, the reason shows under her row, and
    // her role stays what it was.
    const dana = table.locator(`tr[data-user="${adminEmail}"]`);
    await pick(page, 'Role of Dana Admin', 'Sales');
    const refusal = table.getByRole('alert');
    await refusal.waitFor();
    expect(await refusal.textContent()).toBe(
      'Not changed: Dana Admin is the only admin who can sign in: make someone else an admin first, or the workspace has nobody to manage it.',
    );
    expect(await dana.getByRole('combobox', { name: 'Role of Dana Admin' }).inputValue()).toBe('Admin');
    await page.screenshot({ path: path.join(screenshots, 'team-last-admin.png') });
    await table.getByRole('button', { name: 'Dismiss' }).click();
    await refusal.waitFor({ state: 'hidden' });

    // Nina's account is turned off: her row moves below the others, and her password no longer works.
    await nina.getByRole('button', { name: 'Turn off' }).click();
    const turnOff = page.getByRole('dialog', { name: `Turn off ${newcomer.name}'s account?` });
    await turnOff.getByRole('button', { name: 'Turn off' }).click();
    await nina.getByRole('button', { name: 'Turn on' }).waitFor();
    expect(await table.locator('tbody tr').last().getAttribute('data-user')).toBe(newcomer.email);
    expect(await table.getByText('Turned off', { exact: true }).isVisible()).toBe(true);
    expect(await page.getByTestId('team-sentence').textContent()).toBe(
      '11 people sign in to Lockstep: 2 in marketing, 9 in sales; 1 account is turned off.',
    );
    expect(await signInStatus(newcomer.email, password)).toBe(403);
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: path.join(screenshots, 'team-turned-off.png'), fullPage: true });

    // A token for a script: shown once, with how to use it; it works until it is revoked.
    expect(await page.getByRole('table', { name: 'API tokens' }).count()).toBe(0);
    await page.getByRole('button', { name: 'Create token' }).click();
    const tokenForm = page.getByRole('dialog', { name: 'Create an API token' });
    await tokenForm.getByLabel('Name').fill('Nightly CRM sync');
    await pick(page, 'Role', 'Marketing');
    await pick(page, 'Team', 'Marketing');
    await tokenForm.getByRole('button', { name: 'Create token' }).click();
    const token = await secretIn(page, 'created-token');
    expect(token).toMatch(/^lsk_/);
    const tokenShown = page.getByRole('dialog', { name: 'Copy the token “Nightly CRM sync” now' });
    expect(await tokenShown.textContent()).toContain('Authorization: Bearer <token>');
    expect(await tokenShown.textContent()).toContain('Shown only once');
    await page.screenshot({ path: path.join(screenshots, 'team-token.png') });
    await tokenShown.getByRole('button', { name: 'Done' }).click();
    await tokenShown.waitFor({ state: 'hidden' });
    expect(await page.content()).not.toContain(token);
    expect(await statusWithToken(token)).toBe(200);

    const tokens = page.getByRole('table', { name: 'API tokens' });
    const row = tokens.locator('tr[data-token="Nightly CRM sync"]');
    await row.waitFor();
    const [created] = (await apiGet<{ items: ApiToken[] }>(page, '/api/tokens')).items;
    expect(created).toMatchObject({ name: 'Nightly CRM sync', role: 'marketing', team: 'marketing' });
    expect(await row.locator('td').allTextContents()).toEqual([
      'Nightly CRM sync',
      'Marketing',
      'Marketing',
      'Dana Admin',
      formatDateTime(created?.createdAt ?? ''),
      'live',
      'Revoke',
    ]);

    await row.getByRole('button', { name: 'Revoke' }).click();
    const revoking = page.getByRole('dialog', { name: 'Revoke the token “Nightly CRM sync”?' });
    expect(await revoking.textContent()).toContain('refused (401) from its next request on');
    await revoking.getByRole('button', { name: 'Revoke' }).click();
    await revoking.waitFor({ state: 'hidden' });
    await expect
      .poll(() => row.locator('[data-column="state"]').textContent())
      .toBe(`revoked ${formatDate(new Date().toISOString())}`);
    expect(await row.getByRole('button', { name: 'Revoke' }).count()).toBe(0);
    expect(await statusWithToken(token)).toBe(401);
    await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
    await page.screenshot({ path: path.join(screenshots, 'team-tokens.png') });
    await context.close();
  });

  test('a sales rep reads the team, and the lead definition page tells them who signs instead of offering a Sign button', async () => {
    const context = await browser.newContext({ viewport: laptopViewport });
    context.setDefaultTimeout(15_000);
    const page = await context.newPage();
    await page.goto(`${server.url}/team`);
    await signIn(page, repEmail, demoPassword);

    // The team, read-only: no pickers, no buttons, no tokens.
    const table = page.getByRole('table', { name: 'Team' });
    await table.waitFor();
    expect(await table.locator('tr[data-user="rachel.kim@demo.lockstep.dev"] td').allTextContents()).toEqual([
      'Rachel Kim',
      'rachel.kim@demo.lockstep.dev',
      'Sales',
      'Sales',
      '✓ Approver',
    ]);
    expect(await table.getByRole('combobox').count()).toBe(0);
    expect(await page.getByRole('button', { name: /Add teammate|Make approver|Turn off/ }).count()).toBe(0);
    expect(await page.getByRole('heading', { name: 'API tokens' }).count()).toBe(0);
    expect(await page.getByText('An admin adds teammates').isVisible()).toBe(true);
    await page.screenshot({ path: path.join(screenshots, 'team-read-only.png'), fullPage: true });

    // Leo writes a draft (any rep may); signing it for sales is Rachel's, and the page says so.
    const versions = (await apiGet<{ items: DefinitionVersion[] }>(page, '/api/lead-definitions')).items;
    const inForce = versions.find((version) => version.status === 'in force');
    if (!inForce) throw new Error('the demo has a lead definition in force');
    const proposed = await page.request.post(`${server.url}/api/lead-definitions`, {
      data: { rules: inForce.rules, note: 'The same rules, to be signed again.' },
    });
    expect(proposed.status()).toBe(201);
    const draft = (await proposed.json()) as DefinitionVersion;
    await page.getByRole('link', { name: /^Lead definition/ }).click();
    const row = page.locator(`tr[data-version="${draft.version}"]`);
    await row.waitFor();
    const note = row.getByTestId('only-approvers-sign');
    await note.waitFor();
    expect(await note.textContent()).toBe(
      'Only sales approvers can sign: Rachel Kim (an admin chooses them on the Team page).',
    );
    expect(await row.getByRole('button', { name: /^Sign for/ }).count()).toBe(0);
    expect(await page.getByTestId('who-signs').textContent()).toBe(
      'Signs for marketing: Maya Lindqvist and Tom Becker · for sales: Rachel Kim',
    );
    await row.scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(screenshots, 'lead-definition-not-approver.png') });

    // The link opens the Team page.
    await note.getByRole('link', { name: 'Team page' }).click();
    await page.waitForURL(`${server.url}/team`);
    await page.getByRole('table', { name: 'Team' }).waitFor();
    await context.close();
  });

  test('the admin gives a rep a new password, and she changes it to one of her own', async () => {
    const priya = 'priya.nair@demo.lockstep.dev';
    const admin = await browser.newContext({ viewport: laptopViewport });
    admin.setDefaultTimeout(15_000);
    const page = await admin.newPage();
    await page.goto(`${server.url}/team`);
    await signIn(page, adminEmail, demoPassword);
    const row = page.getByRole('table', { name: 'Team' }).locator(`tr[data-user="${priya}"]`);
    await row.getByRole('button', { name: 'New password' }).click();
    await page.getByRole('button', { name: 'Make a new password' }).click();
    const given = await secretIn(page, 'new-password');
    expect(given).toMatch(/^[\w-]{16}$/);
    await page.screenshot({ path: path.join(screenshots, 'team-new-password.png') });
    // The demo password no longer opens her account; the new one does.
    expect(await signInStatus(priya, demoPassword)).toBe(401);
    expect(await signInStatus(priya, given)).toBe(200);
    await admin.close();

    const own = await browser.newContext({ viewport: laptopViewport });
    own.setDefaultTimeout(15_000);
    const hers = await own.newPage();
    await hers.goto(`${server.url}/team`);
    await signIn(hers, priya, given);
    await hers.getByRole('heading', { name: 'Your password' }).waitFor();
    await hers.getByLabel('Current password').fill('not-what-she-was-given');
    await hers.getByLabel('New password', { exact: true }).fill('priyas-own-password');
    await hers.getByLabel('New password again').fill('priyas-own-password');
    await hers.getByRole('button', { name: 'Change password' }).click();
    await hers.getByText('that is not your current password.').waitFor();
    await hers.getByLabel('Current password').fill(given);
    await hers.getByRole('button', { name: 'Change password' }).click();
    await hers.getByTestId('password-changed').waitFor();
    await hers.getByRole('heading', { name: 'Your password' }).scrollIntoViewIfNeeded();
    await hers.screenshot({ path: path.join(screenshots, 'team-your-password.png') });
    expect(await signInStatus(priya, given)).toBe(401);
    expect(await signInStatus(priya, 'priyas-own-password')).toBe(200);
    // She stays signed in here.
    expect((await hers.request.get(`${server.url}/api/auth/me`)).status()).toBe(200);
    await own.close();
  });
});
