// The Olist numbers as a careful analyst gets them: straight from the two CSV files, no Lockstep code.
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';

export const OLIST_DIR = path.resolve(import.meta.dirname, '../../../shared/datasets/olist');

export function olistExpectations() {
  const read = (file: string) =>
    parse(fs.readFileSync(path.join(OLIST_DIR, file)), { columns: true }) as Record<string, string>[];
  const mqls = read('olist_marketing_qualified_leads_dataset.csv');
  const deals = read('olist_closed_deals_dataset.csv');
  const originOf = new Map(mqls.map((m) => [m.mql_id!, m.origin || null]));
  const firstContact = new Map(mqls.map((m) => [m.mql_id!, m.first_contact_date!]));
  const mqlByOrigin = new Map<string | null, number>();
  for (const mql of mqls) mqlByOrigin.set(mql.origin || null, (mqlByOrigin.get(mql.origin || null) ?? 0) + 1);
  const wonByOrigin = new Map<string | null, number>();
  const dayNumber = (ddmmyyyy: string) => {
    const [d, m, y] = ddmmyyyy.slice(0, 10).split('-');
    return Number(`${y}${m}${d}`);
  };
  let wonBeforeContact = 0;
  for (const deal of deals) {
    const origin = originOf.get(deal.mql_id!) ?? null;
    wonByOrigin.set(origin, (wonByOrigin.get(origin) ?? 0) + 1);
    if (dayNumber(deal.won_date!) < dayNumber(firstContact.get(deal.mql_id!)!)) wonBeforeContact++;
  }
  return {
    mqls: mqls.length,
    won: deals.length,
    mqlByOrigin,
    wonByOrigin,
    wonBeforeContact,
    sdrs: new Set(deals.map((d) => d.sdr_id)).size,
    srs: new Set(deals.map((d) => d.sr_id)).size,
    firstDeal: deals[0]!,
  };
}
