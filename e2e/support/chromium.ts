import fs from 'node:fs';
import { type Browser, chromium } from 'playwright-core';

const chromiumPath = process.env.LOCKSTEP_CHROMIUM ?? '/usr/bin/chromium';

/** Debian's Chromium, headless. playwright-core never downloads a browser of its own. */
export async function launchChromium(): Promise<Browser> {
  if (!fs.existsSync(chromiumPath)) {
    throw new Error(
      `The browser tests need Chromium at ${chromiumPath}. Install it with: apt-get install -y chromium ` +
        '(or point LOCKSTEP_CHROMIUM at another Chromium).',
    );
  }
  return chromium.launch({
    executablePath: chromiumPath,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

/** A laptop-sized window: every page must work at 1366×768. */
export const laptopViewport = { width: 1366, height: 768 };
