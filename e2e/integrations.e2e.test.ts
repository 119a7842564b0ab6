import path from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  type MailReceiver,
  startSmtpReceiver,
  startWebhookReceiver,
  type WebhookReceiver,
} from '../src/modules/notifications/test-receivers.ts';
import { verifyWebhookSignature } from '../src/modules/notifications/webhook-signature.ts';
import { laptopViewport } from './support/chromium.ts';
import { signIn } from './support/funnelPage.ts';
import { type Stage, screenshots, setStage } from './support/stage.ts';

const adminEmail = 'admin@demo.lockstep.dev';
const adminPassword = 'e2e-demo-password-42';

let stage: Stage;
let browser: Browser;
let receiver: WebhookReceiver;
let smtp: MailReceiver;

beforeAll(async () => {
  [receiver, smtp] = await Promise.all([startWebhookReceiver(), startSmtpReceiver()]);
  stage = await setStage({
    LOCKSTEP_DEMO: 'true',
    LOCKSTEP_ADMIN_PASSWORD: adminPassword,
    LOCKSTEP_SMTP_URL: smtp.url,
    LOCKSTEP_MAIL_FROM: 'Lockstep <lockstep@e2e.test>',
  });
  ({ browser } = stage);
});

afterAll(async () => {
  await stage?.close();
  await receiver?.close();
  await smtp?.close();
});

describe('the Integrations page', () => {
  test('an admin adds a webhook, copies its secret once, tests it and reads the delivery log', async () => {
    const context = await browser.newContext({ viewport: laptopViewport });
    context.setDefaultTimeout(15_000);
    const page = await context.newPage();
    await page.goto(stage.server.url);
    await signIn(page, adminEmail, adminPassword);
    await page.getByRole('link', { name: /Integrations/ }).click();
    await page.getByRole('heading', { name: 'Integrations' }).waitFor();
    await expect.poll(() => page.getByText('Email is on').isVisible()).toBe(true);
    await expect.poll(() => page.getByText('lockstep@e2e.test').isVisible()).toBe(true);

    // Add an endpoint; the secret appears once, in a dialog.
    await page.getByLabel('URL').fill(receiver.url('/slack'));
    await page.getByLabel('Description').fill('#sales-alerts');
    await page.getByPlaceholder("Everyone's").click();
    await page.getByRole('option', { name: 'Rachel Kim' }).click();
    await page.getByRole('button', { name: 'Add endpoint' }).click();
    const secretBox = page.getByTestId('webhook-secret');
    await secretBox.waitFor();
    const secret = (await secretBox.textContent())?.trim() ?? '';
    expect(secret).toMatch(/^whsec_/);
    await page.waitForTimeout(400); // the dialog fades in
    await page.screenshot({ path: path.join(screenshots, 'integrations-secret.png') });
    await page.getByRole('button', { name: 'Done' }).click();
    await expect.poll(() => page.getByTestId('webhook-secret').count()).toBe(0);
    await page.getByText('#sales-alerts · only for Rachel Kim').waitFor();
    expect(await page.content()).not.toContain(secret);

    // A test ping arrives signed with that secret, and the page says so.
    await page.getByRole('button', { name: 'Send test' }).click();
    await page.getByText('Test delivered').waitFor();
    const ping = receiver.received.find((r) => r.path === '/slack');
    expect(ping).toBeDefined();
    expect(verifyWebhookSignature(secret, ping!.headers['lockstep-signature'], ping!.rawBody)).toBe(true);
    expect(JSON.parse(ping!.rawBody).event).toBe('webhook.test');

    // A second endpoint that refuses: its test fails, and the log shows the attempt and the answer.
    receiver.failNext('/broken', [500]);
    await page.getByLabel('URL').fill(receiver.url('/broken'));
    await page.getByLabel('Description').fill('Our CRM bridge');
    await page.getByRole('button', { name: 'Add endpoint' }).click();
    await page.getByRole('button', { name: 'Done' }).click();
    const broken = page.getByRole('row').filter({ hasText: '/broken' });
    await broken.getByRole('button', { name: 'Send test' }).click();
    await page.getByText('Test failed').waitFor();

    const log = page
      .getByRole('row')
      .filter({ hasText: receiver.url('/broken') })
      .last();
    await expect.poll(() => log.textContent()).toContain('failed');
    await log.click();
    await page.getByRole('cell', { name: 'HTTP 500', exact: true }).waitFor();
    await expect
      .poll(() => page.getByText('The receiver answered HTTP 500: nope').count())
      .toBeGreaterThan(0);
    await expect
      .poll(() => page.getByText(/1 of the last 2 deliveries arrived, 1 failed for good/).isVisible())
      .toBe(true);
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.waitForTimeout(300);
    await page.screenshot({ path: path.join(screenshots, 'integrations.png') });
    await log.scrollIntoViewIfNeeded();
    await page.waitForTimeout(300);
    await page.screenshot({ path: path.join(screenshots, 'integrations-log.png') });
    await context.close();
  });

  test('a sales rep does not see the page in the navigation', async () => {
    const context = await browser.newContext({ viewport: laptopViewport });
    const page = await context.newPage();
    await page.goto(stage.server.url);
    await signIn(page, 'rachel.kim@demo.lockstep.dev', adminPassword);
    await page.getByRole('link', { name: /People/ }).waitFor();
    expect(await page.getByRole('link', { name: /Integrations/ }).count()).toBe(0);
    await context.close();
  });
});
