import {
  Alert,
  Button,
  Checkbox,
  Group,
  SegmentedControl,
  Select,
  Skeleton,
  Stack,
  Text,
  TextInput,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useState } from 'react';
import {
  type OpportunityFilter,
  opportunitiesCsvUrl,
  useDealsByStage,
  useOpportunities,
  useOpportunityFacets,
  useOpportunityTotals,
  usePipeline,
} from '../api/opportunities.ts';
import { ListTitle } from '../components/ListTitle.tsx';
import { formatCount } from '../format.ts';
import { DealDrawer } from '../opportunities/DealDrawer.tsx';
import { DealsTable, STUCK_DAYS } from '../opportunities/DealsTable.tsx';
import { formatTotals } from '../opportunities/money.ts';
import { StageStrip } from '../opportunities/StageStrip.tsx';

type Status = 'open' | 'won' | 'lost' | 'all';

/** What is in the pipeline, who owns it, and what was won and lost: every deal, filterable. */
export function OpportunitiesPage() {
  const [status, setStatus] = useState<Status>('open');
  const [stage, setStage] = useState<string | null>(null);
  const [ownerId, setOwnerId] = useState<string | null>(null);
  const [product, setProduct] = useState<string | null>(null);
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search.trim(), 300);
  const [openDeal, setOpenDeal] = useState<string | null>(null);
  const [stuckOnly, setStuckOnly] = useState(false);
  // Fixed when the page opens, so that the queries keep one key.
  const [stuckBefore] = useState(() => new Date(Date.now() - STUCK_DAYS * 86_400_000).toISOString());

  const pipeline = usePipeline();
  const facets = useOpportunityFacets();
  const shared = { ownerId: ownerId ?? undefined, product: product ?? undefined };
  const filter: OpportunityFilter = {
    ...shared,
    status: status === 'all' ? undefined : status,
    stage: stage ?? undefined,
    q: q || undefined,
    stageEnteredBefore: stuckOnly ? stuckBefore : undefined,
  };
  const deals = useOpportunities(filter);
  const { stage: _stage, ...withoutStage } = filter;
  const byStage = useDealsByStage(withoutStage);
  const open = useOpportunityTotals({ ...shared, status: 'open' });
  const won = useOpportunityTotals({ ...shared, status: 'won' });
  const lost = useOpportunityTotals({ ...shared, status: 'lost' });
  const stuck = useOpportunityTotals({ ...shared, status: 'open', stageEnteredBefore: stuckBefore });
  const items = deals.data?.pages.flatMap((page) => page.items) ?? [];
  const totals = deals.data?.pages[0]?.totals;
  const stages = (pipeline.data?.stages ?? []).filter((s) => status === 'all' || s.outcome === status);

  return (
    <Stack gap="md">
      <ListTitle
        title="Opportunities"
        description="Every deal with its stage, owner and amount. Click a deal to see who moved it, when and why."
        csvUrl={items.length > 0 ? opportunitiesCsvUrl(filter) : undefined}
      />
      {open.data && won.data && lost.data && stuck.data && (
        <Text fw={500} data-testid="pipeline-sentence">
          {formatCount(open.data.count)} open deals worth {formatTotals(open.data)} are in the pipeline, and{' '}
          {formatCount(stuck.data.count)} of them ({formatTotals(stuck.data)}) have been stuck in their stage
          for over {STUCK_DAYS} days. {formatCount(won.data.count)} deals worth {formatTotals(won.data)} were
          won and {formatCount(lost.data.count)} worth {formatTotals(lost.data)} lost
          {ownerId || product ? ' (for the owner and product chosen below)' : ''}.
        </Text>
      )}
      <Group align="flex-end" gap="sm">
        <SegmentedControl
          value={status}
          onChange={(value) => {
            setStatus(value as Status);
            setStage(null);
            if (value !== 'open') setStuckOnly(false);
          }}
          data={[
            { value: 'open', label: 'Open' },
            { value: 'won', label: 'Won' },
            { value: 'lost', label: 'Lost' },
            { value: 'all', label: 'All' },
          ]}
        />
        <Select
          label="Stage"
          placeholder="Any stage"
          clearable
          data={stages.map(({ key, label }) => ({ value: key, label }))}
          value={stage}
          onChange={setStage}
          w={170}
        />
        <Select
          label="Owner"
          placeholder="Any owner"
          clearable
          searchable
          data={(facets.data?.owners ?? []).map((o) => ({ value: o.id, label: o.name }))}
          value={ownerId}
          onChange={setOwnerId}
          w={200}
        />
        <Select
          label="Product"
          placeholder="Any product"
          clearable
          searchable
          data={(facets.data?.products ?? []).map((p) => p.product)}
          value={product}
          onChange={setProduct}
          w={200}
        />
        <TextInput
          label="Search"
          placeholder="Deal or account"
          value={search}
          onChange={(event) => setSearch(event.currentTarget.value)}
          w={200}
        />
        <Checkbox
          label={`Stuck over ${STUCK_DAYS} days`}
          checked={stuckOnly}
          disabled={status !== 'open'}
          onChange={(event) => setStuckOnly(event.currentTarget.checked)}
          mb={8}
        />
      </Group>

      {byStage.data && <StageStrip summary={byStage.data} selected={stage} onSelect={setStage} />}
      {deals.isError && (
        <Alert color="red" title="Deals could not be loaded">
          {deals.error.message}
        </Alert>
      )}
      {deals.isPending && <Skeleton height={300} />}
      {totals && (
        <Text size="sm" data-testid="deal-totals">
          <b>{formatCount(totals.count)}</b> {totals.count === 1 ? 'deal' : 'deals'} match, worth{' '}
          <b>{formatTotals(totals)}</b>
        </Text>
      )}
      {deals.data && items.length === 0 && (
        <Text c="dimmed">
          {filter.stage || filter.ownerId || filter.product || filter.q || stuckOnly || status !== 'all'
            ? 'No deal matches these filters.'
            : 'No deals yet. Import your CRM export: npx lockstep import csv deals.csv --preset hubspot-deals'}
        </Text>
      )}
      {items.length > 0 && <DealsTable deals={items} pipeline={pipeline.data} onOpen={setOpenDeal} />}
      <Group>
        {deals.hasNextPage && (
          <Button variant="default" onClick={() => deals.fetchNextPage()} loading={deals.isFetchingNextPage}>
            Show more
          </Button>
        )}
        {items.length > 0 && totals && (
          <Text size="sm" c="dimmed">
            Showing {formatCount(items.length)} of {formatCount(totals.count)}
          </Text>
        )}
      </Group>
      <DealDrawer dealId={openDeal} pipeline={pipeline.data} onClose={() => setOpenDeal(null)} />
    </Stack>
  );
}
