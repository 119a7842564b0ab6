import fs from 'node:fs';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startLockstep } from '../src/main.ts';
import { laptopViewport, launchChromium } from './support/chromium.ts';
import { ensureWebAppBuilt } from './support/webBuild.ts';

const screenshots = path.resolve(import.meta.dirname, '../test-results');

let browser: Browser;
let server: { url: string; stop(): Promise<void> };

beforeAll(async () => {
  fs.mkdirSync(screenshots, { recursive: true });
  await ensureWebAppBuilt();
  [browser, server] = await Promise.all([
    launchChromium(),
    startLockstep({
      env: {
        PORT: '0',
        HOST: '127.0.0.1',
        LOCKSTEP_DATA_DIR: 'memory://',
        LOCKSTEP_DEMO: 'false',
        LOG_LEVEL: 'warn',
      },
    }),
  ]);
});

afterAll(async () => {
  await browser?.close();
  await server?.stop();
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
