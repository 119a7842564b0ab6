import { Paper, Skeleton, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useOpportunities, usePipeline } from '../api/opportunities.ts';
import { DealDrawer } from './DealDrawer.tsx';
import { DealsTable } from './DealsTable.tsx';
import { formatTotals } from './money.ts';

/** The lead's deals, on the lead page: what the journey turned into. */
export function LeadOpportunities({ personId }: { personId: string }) {
  const deals = useOpportunities({ personId });
  const pipeline = usePipeline();
  const [openDeal, setOpenDeal] = useState<string | null>(null);
  const items = deals.data?.pages.flatMap((page) => page.items) ?? [];
  const totals = deals.data?.pages[0]?.totals;
  return (
    <Paper withBorder p="md">
      <Title order={4} mb="xs">
        Opportunities
      </Title>
      {deals.isPending && <Skeleton height={60} />}
      {deals.data && items.length === 0 && (
        <Text size="sm" c="dimmed">
          No deal for this lead yet.
        </Text>
      )}
      {items.length > 0 && (
        <>
          <Text size="sm" mb="xs">
            {items.length} {items.length === 1 ? 'deal' : 'deals'}, worth {formatTotals(totals)}
          </Text>
          <DealsTable deals={items} pipeline={pipeline.data} onOpen={setOpenDeal} compact />
        </>
      )}
      <DealDrawer dealId={openDeal} pipeline={pipeline.data} onClose={() => setOpenDeal(null)} />
    </Paper>
  );
}
