import { fetchAllOpportunities, type OpportunityFilter } from '../api/opportunities.ts';
import { downloadCsv, toCsv } from '../csv.ts';

/** Downloads every deal the filter matches as CSV, one row per deal. */
export async function exportDeals(filter: OpportunityFilter): Promise<void> {
  const deals = await fetchAllOpportunities(filter);
  const header = [
    'Deal',
    'Account',
    'Owner',
    'Product',
    'Stage',
    'Amount',
    'Currency',
    'Opened',
    'Closed',
    'Lost reason',
  ];
  const rows = deals.map((d) => [
    d.name,
    d.accountName ?? '',
    d.ownerName ?? '',
    d.product ?? '',
    d.stage,
    d.amount ?? '',
    d.currency,
    d.openedAt.slice(0, 10),
    d.closedAt?.slice(0, 10) ?? '',
    d.lostReason ?? '',
  ]);
  downloadCsv('opportunities.csv', toCsv([header, ...rows]));
}
