// A synthetic CRM export whose outcome comes from known effects, for the scorecard tests.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sigmoid } from './scorecard.logistic.ts';
import { seededRandom } from './scorecard.outcome.ts';

export const syntheticEffects: Record<string, number> = { referral: 1.2, paid: 0.2, organic: 0, social: -1 };

export function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'lockstep-scorecard-'));
}

/**
 * `rows` leads: lead_id, origin (with "Select" placeholders and a rare "fax"), employees (a number,
 * sometimes "N/A"), created_at (ISO date), country (always BR), stage (filled in after the outcome),
 * outcome (won/lost, empty for every 60th lead).
 */
export function writeSyntheticLeads(file: string, rows = 3_000, seed = 11): void {
  const random = seededRandom(seed);
  const origins = ['referral', 'paid', 'organic', 'social'];
  const lines = ['lead_id,origin,employees,created_at,country,stage,outcome'];
  for (let i = 0; i < rows; i++) {
    const origin =
      i % 600 === 7 ? 'fax' : i % 30 === 0 ? 'Select' : origins[Math.floor(random() * origins.length)]!;
    const employees = Math.round(Math.exp(random() * 7));
    const month = 1 + (i % 6);
    const eta = -1.5 + (syntheticEffects[origin] ?? 0) + 0.25 * Math.log(employees) - 0.1 * month;
    const won = random() < sigmoid(eta);
    const outcome = i % 60 === 59 ? '' : won ? 'Won' : 'lost';
    lines.push(
      [
        `L${String(i).padStart(5, '0')}`,
        i % 3 === 0 ? origin.toUpperCase() : origin,
        i % 20 === 0 ? 'N/A' : String(employees),
        `2024-${String(month).padStart(2, '0')}-${String(1 + (i % 28)).padStart(2, '0')}`,
        'BR',
        won ? 'closed' : 'open',
        outcome,
      ].join(','),
    );
  }
  fs.writeFileSync(file, `${lines.join('\n')}\n`);
}
