// Deterministic, realistic lead exports for the import benchmark, streamed to disk row by row.

import { once } from 'node:events';
import fs from 'node:fs';

/** The columns, as a HubSpot-like export names them; bench/import.mapping.json maps them. */
export const benchHeaders = [
  'Record ID',
  'First Name',
  'Last Name',
  'Email',
  'Phone Number',
  'Job Title',
  'Company Name',
  'Company Domain',
  'Industry',
  'Number of Employees',
  'Country',
  'Original Source',
  'Landing Page',
  'Lifecycle Stage',
  'Create Date',
  'Became a Marketing Qualified Lead Date',
  'Became a Sales Qualified Lead Date',
  'Became a Customer Date',
  'Lead Score',
];

/** mulberry32: tiny, fast and the same on every machine. */
export function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const FIRST = [
  'Ada',
  'Grace',
  'Alan',
  'Linus',
  'Margaret',
  'Edsger',
  'Barbara',
  'Donald',
  'Frances',
  'Ken',
  'Radia',
  'Tim',
  'Sophie',
  'Hedy',
  'Dennis',
  'Anita',
];
const LAST = [
  'Lovelace',
  'Hopper',
  'Turing',
  'Torvalds',
  'Hamilton',
  'Dijkstra',
  'Liskov',
  'Knuth',
  'Allen',
  'Thompson',
  'Perlman',
  'Berners-Lee',
  'Wilson',
  'Lamarr',
  'Ritchie',
  'Borg',
];
const TITLES = [
  'Head of Marketing',
  'VP Sales',
  'CTO',
  'Operations Manager',
  'Founder',
  'Procurement Lead',
  'IT Director',
  'CFO',
];
const INDUSTRIES = [
  'Software',
  'Retail',
  'Manufacturing',
  'Healthcare',
  'Logistics',
  'Education',
  'Finance',
  'Media',
];
const COUNTRIES = [
  'United States',
  'Germany',
  'France',
  'Brazil',
  'United Kingdom',
  'Spain',
  'Netherlands',
  'Canada',
];
const SOURCES = [
  'ORGANIC_SEARCH',
  'PAID_SEARCH',
  'EMAIL_MARKETING',
  'SOCIAL_MEDIA',
  'REFERRALS',
  'DIRECT_TRAFFIC',
  'OFFLINE',
];
// Most of a real database is early in the funnel.
const STAGES: [string, number][] = [
  ['lead', 0.4],
  ['marketingqualifiedlead', 0.3],
  ['salesqualifiedlead', 0.14],
  ['opportunity', 0.08],
  ['customer', 0.06],
  ['other', 0.02],
];

function pick<T>(random: () => number, list: readonly T[]): T {
  return list[Math.floor(random() * list.length)]!;
}

function isoDay(ms: number): string {
  return new Date(ms).toISOString().slice(0, 19).replace('T', ' ');
}

/** Writes `rows` people (one company per ~20 people, some on free-mail addresses) to `file`. */
export async function writeLeadsCsv(file: string, rows: number, seed = 42): Promise<number> {
  const random = prng(seed);
  const out = fs.createWriteStream(file);
  out.write(`${benchHeaders.join(',')}\n`);
  const companies = Math.max(1, Math.floor(rows / 20));
  const start = Date.UTC(2022, 0, 1);
  let buffer = '';
  for (let i = 1; i <= rows; i++) {
    const first = pick(random, FIRST);
    const last = pick(random, LAST);
    const company = Math.floor(random() * companies);
    const freeMail = random() < 0.15;
    const domain = `company${company}.example`;
    const email = `${first}.${last}.${i}@${freeMail ? 'gmail.com' : domain}`.toLowerCase();
    let roll = random();
    let stage = 'lead';
    for (const [key, share] of STAGES) {
      if (roll < share) {
        stage = key;
        break;
      }
      roll -= share;
    }
    const created = start + Math.floor(random() * 3 * 365) * 86_400_000 + Math.floor(random() * 86_400_000);
    const mql = stage === 'lead' || stage === 'other' ? '' : isoDay(created + 3 * 86_400_000);
    const sql = ['salesqualifiedlead', 'opportunity', 'customer'].includes(stage)
      ? isoDay(created + 20 * 86_400_000)
      : '';
    const won = stage === 'customer' ? isoDay(created + 60 * 86_400_000) : '';
    buffer += `${[
      100_000_000 + i,
      first,
      last,
      email,
      `+1 555 ${String(i % 10_000_000).padStart(7, '0')}`,
      `"${pick(random, TITLES)}"`,
      `"Company ${company}, Inc."`,
      domain,
      pick(random, INDUSTRIES),
      10 + (company % 5000),
      pick(random, COUNTRIES),
      pick(random, SOURCES),
      `https://www.example.com/lp/${company % 200}`,
      stage,
      isoDay(created),
      mql,
      sql,
      won,
      Math.floor(random() * 100),
    ].join(',')}\n`;
    if (buffer.length > 1 << 20) {
      if (!out.write(buffer)) await once(out, 'drain');
      buffer = '';
    }
  }
  out.end(buffer);
  await once(out, 'finish');
  return fs.statSync(file).size;
}
