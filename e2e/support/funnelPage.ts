import type { Locator, Page } from 'playwright-core';

/** The numbers a person reads in a table, cell by cell, one array per body row. */
export async function tableRows(table: Locator): Promise<string[][]> {
  return table
    .locator('tbody tr')
    .evaluateAll((rows) =>
      rows.map((row) => Array.from(row.querySelectorAll('td'), (cell) => cell.textContent?.trim() ?? '')),
    );
}

/** "7,158" → 7158; anything that is not a plain formatted count fails the test. */
export function parseCount(text: string): number {
  if (!/^\d{1,3}(,\d{3})*$/.test(text)) throw new Error(`"${text}" is not a formatted count`);
  return Number(text.replaceAll(',', ''));
}

/** The same rounding a reader expects: one decimal, "–" when there is no rate. */
export function expectedRate(rate: number | null): string {
  return rate === null ? '–' : `${(rate * 100).toFixed(1)}%`;
}

export async function signIn(page: Page, email: string, password: string): Promise<void> {
  await page.getByLabel('Email').fill(email);
  await page.getByLabel(/^Password/).fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}
