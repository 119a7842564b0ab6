import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { laptopViewport } from './support/chromium.ts';
import { type Stage, screenshots, setStage } from './support/stage.ts';

let stage: Stage;
let browser: Browser;
let server: Stage['server'];

beforeAll(async () => {
  stage = await setStage({ LOCKSTEP_DEMO: 'false' });
  ({ browser, server } = stage);
});

afterAll(async () => {
  await stage?.close();
});

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
  expect(
    await page.getByText('npx lockstep import csv contacts.csv --preset hubspot-contacts').isVisible(),
  ).toBe(true);
  await page.screenshot({ path: path.join(screenshots, 'first-run-empty-funnel.png') });

  // The admin exists now: a reload signs in with the session cookie, not the setup page again.
  await page.reload();
  await page.getByRole('heading', { name: 'No people in Lockstep yet' }).waitFor();
  await context.close();
});
