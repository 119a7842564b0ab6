import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { expect } from 'vitest';
import { startLockstep } from '../../src/main.ts';
import { launchChromium } from './chromium.ts';
import { ensureWebAppBuilt } from './webBuild.ts';

export const screenshots = path.resolve(import.meta.dirname, '../../test-results');

export interface Stage {
  browser: Browser;
  server: { url: string; stop(): Promise<void> };
  close(): Promise<void>;
}

/** A browser and a Lockstep server on a fresh in-memory database, with the given settings. */
export async function setStage(env: Record<string, string>): Promise<Stage> {
  fs.mkdirSync(screenshots, { recursive: true });
  await ensureWebAppBuilt();
  const [browser, server] = await Promise.all([
    launchChromium(),
    startLockstep({
      env: { PORT: '0', HOST: '127.0.0.1', LOCKSTEP_DATA_DIR: 'memory://', LOG_LEVEL: 'warn', ...env },
    }),
  ]);
  return {
    browser,
    server,
    async close() {
      await browser.close();
      await server.stop();
    },
  };
}

/** GET on the API as the signed-in person of `page` (page.request shares the browser's cookies); 200 expected. */
export async function apiGet<T>(page: Page, url: string): Promise<T> {
  const response = await page.request.get(new URL(url, page.url()).href);
  expect(response.status()).toBe(200);
  return (await response.json()) as T;
}
