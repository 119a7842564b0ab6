import {
  Alert,
  Anchor,
  Badge,
  Button,
  Group,
  Paper,
  SegmentedControl,
  Skeleton,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { useState } from 'react';
import {
  type BottleneckPeriod,
  type BottleneckStep,
  type StuckGroup,
  type StuckItem,
  useBottlenecks,
  useStuckItems,
} from '../api/targets.ts';
import { ShowMore } from '../components/ShowMore.tsx';
import { downloadCsv, toCsv } from '../csv.ts';
import { formatCount, formatRate } from '../format.ts';
import { leadPath, navigate } from '../router.ts';
import { formatMoney, periodLabel } from './targetWords.ts';

const periods: { value: BottleneckPeriod; label: string }[] = [
  { value: 'this-month', label: 'This month' },
  { value: 'last-month', label: 'Last month' },
  { value: 'this-quarter', label: 'This quarter' },
  { value: 'last-quarter', label: 'Last quarter' },
];

/** The stuck list the home page's sentence links to: `?kind=lead&stage=sql`. */
function linkedFilter(): { kind?: 'lead' | 'deal'; stage?: string } {
  const params = new URLSearchParams(window.location.search);
  const kind = params.get('kind');
  const stage = params.get('stage');
  return {
    ...(kind === 'lead' || kind === 'deal' ? { kind } : {}),
    ...(stage ? { stage } : {}),
  };
}

/** "Where does the funnel leak most, and what is stuck there?" */
export function BottlenecksPage() {
  const [period, setPeriod] = useState<BottleneckPeriod>('this-month');
  const [filter, setFilter] = useState(linkedFilter);
  const report = useBottlenecks(period);
  const stuck = useStuckItems({ period, ...filter });
  const currency = report.data?.currency ?? 'USD';
  const money = (n: number) => formatMoney(n, currency);

  return (
    <Stack gap="md">
      <Group justify="space-between" align="flex-end">
        <Title order={2}>Bottlenecks</Title>
        <SegmentedControl
          size="xs"
          value={period}
          onChange={(v) => setPeriod(v as BottleneckPeriod)}
          data={periods}
        />
      </Group>
      {report.isError && <Alert color="red">{report.error.message}</Alert>}
      {report.isPending && <Skeleton height={200} />}
      {report.data && (
        <>
          <div>
            <Text fz="xl" fw={600} data-testid="bottleneck-headline">
              {report.data.headline}
            </Text>
            <Text c="dimmed" size="sm">
              Each step compares the leads decided in the period (moved on, or dropped to lost, nurture or
              disqualified) with the{' '}
              {Math.round(
                (Date.parse(report.data.baseline.to) - Date.parse(report.data.baseline.from)) / 86_400_000,
              )}{' '}
              days before it. A drop is flagged only when it is significant (p &lt; 0.05) and at least 10
              leads were decided on each side.
            </Text>
          </div>
          <Paper withBorder p="xs">
            <Table fz="sm" striped data-testid="steps-table">
              <Table.Thead>
                <Table.Tr>
                  <Table.Th>Step</Table.Th>
                  <Table.Th ta="right">This period</Table.Th>
                  <Table.Th ta="right">Normally</Table.Th>
                  <Table.Th ta="right">p</Table.Th>
                  <Table.Th ta="right">
                    {report.data.target ? `${periodLabel(report.data.target)} target needs` : 'Target needs'}
                  </Table.Th>
                  <Table.Th />
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {report.data.steps.map((step) => (
                  <Table.Tr key={step.from}>
                    <Table.Td fw={500}>
                      {step.fromLabel} → {step.toLabel}
                    </Table.Td>
                    <Table.Td ta="right">
                      {formatRate(step.current.rate)}{' '}
                      <Text span c="dimmed" size="xs">
                        of {formatCount(step.current.decided)}
                      </Text>
                    </Table.Td>
                    <Table.Td ta="right">
                      {formatRate(step.baseline.rate)}{' '}
                      <Text span c="dimmed" size="xs">
                        of {formatCount(step.baseline.decided)}
                      </Text>
                    </Table.Td>
                    <Table.Td ta="right">
                      {step.p === null ? 'too few' : step.p < 0.001 ? '<0.001' : step.p.toFixed(3)}
                    </Table.Td>
                    <Table.Td ta="right">
                      {step.required === null ? '–' : formatRate(step.required)}{' '}
                      {step.measured !== null && (
                        <Text span c="dimmed" size="xs">
                          plan {formatRate(step.measured)}
                        </Text>
                      )}
                    </Table.Td>
                    <Table.Td>
                      <Group gap={4}>
                        {step.flagged && <Badge color="red">lower than normal</Badge>}
                        <TargetBadge step={step} />
                      </Group>
                    </Table.Td>
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Paper>
          <Paper withBorder p="md">
            <Group justify="space-between" mb="xs">
              <Text fw={600}>Stuck past the usual time: about {money(report.data.trappedTotal)} trapped</Text>
            </Group>
            <Group gap="xs" data-testid="stuck-groups">
              <Button
                size="xs"
                variant={!filter.stage && !filter.kind ? 'filled' : 'default'}
                onClick={() => setFilter({})}
              >
                All
              </Button>
              {report.data.stuck
                .filter((g) => g.stuck > 0)
                .map((g) => (
                  <Button
                    key={`${g.kind}/${g.stage}`}
                    size="xs"
                    variant={filter.kind === g.kind && filter.stage === g.stage ? 'filled' : 'default'}
                    onClick={() => setFilter({ kind: g.kind, stage: g.stage })}
                  >
                    {g.kind === 'deal' ? `Deals: ${g.label}` : g.label} · {formatCount(g.stuck)} past{' '}
                    {Math.round(g.normalDays ?? 0)}d · {money(g.trapped)}
                  </Button>
                ))}
            </Group>
          </Paper>
        </>
      )}
      <Paper withBorder p="xs">
        {stuck.isError && <Alert color="red">{stuck.error.message}</Alert>}
        {stuck.data && (
          <StuckTable
            key={`${period}/${filter.kind ?? ''}/${filter.stage ?? ''}`}
            items={stuck.data.items}
            total={stuck.data.total}
            currency={currency}
            empty={emptyWords(filter, report.data?.stuck ?? [])}
          />
        )}
      </Paper>
    </Stack>
  );
}

/** How a step stands against the target, when it falls short of it. */
function TargetBadge({ step }: { step: BottleneckStep }) {
  const [text, title] =
    step.reachable === false
      ? ['too few arrive', 'Too few arrive for the target even if every one moves on']
      : step.required !== null && step.measured !== null && step.required > step.measured
        ? ['short of target', 'The target needs a higher rate than the one measured']
        : [null, null];
  if (!text) return null;
  return (
    <Badge color="orange" variant="light" title={title}>
      {text}
    </Badge>
  );
}

/** What an empty stuck list says: about the stage it was narrowed to, when it was. */
function emptyWords(filter: { kind?: 'lead' | 'deal'; stage?: string }, groups: StuckGroup[]): string {
  if (!filter.stage) return "Nothing here is stuck past its stage's usual time.";
  const group = groups.find((g) => g.kind === filter.kind && g.stage === filter.stage);
  const what = filter.kind === 'deal' ? 'No deal' : 'No lead';
  const elsewhere = groups.some((g) => g.stuck > 0) ? ' Choose All to see everything stuck.' : '';
  return `${what} at ${group?.label ?? filter.stage} is stuck past its usual time.${elsewhere}`;
}

/** Rows of the stuck list shown at first, and added by each "Show more". */
const STUCK_PAGE = 50;

function StuckTable({
  items,
  total,
  currency,
  empty,
}: {
  items: StuckItem[];
  total: number;
  currency: string;
  empty: string;
}) {
  const [shown, setShown] = useState(STUCK_PAGE);
  if (items.length === 0)
    return (
      <Text c="dimmed" p="sm">
        {empty}
      </Text>
    );
  const exportCsv = () =>
    downloadCsv(
      'stuck.csv',
      toCsv([
        ['kind', 'name', 'stage', 'owner', 'days in stage', 'usual (p90) days', 'amount', 'trapped'],
        ...items.map((i) => [
          i.kind,
          i.name,
          i.stageLabel,
          i.owner ?? '',
          Math.floor(i.ageDays),
          Math.round(i.normalDays),
          i.amount ?? '',
          Math.round(i.trapped),
        ]),
      ]),
    );
  return (
    <Stack gap="xs">
      <Group justify="space-between" px="xs">
        <Text size="sm" c="dimmed">
          {formatCount(total)} stuck, longest first
          {items.length < total ? `; the ${formatCount(items.length)} longest are listed and exported` : ''}
        </Text>
        <Button size="xs" variant="default" onClick={exportCsv}>
          Export CSV
        </Button>
      </Group>
      <Table fz="sm" striped stickyHeader data-testid="stuck-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Lead or deal</Table.Th>
            <Table.Th>Stage</Table.Th>
            <Table.Th>Owner</Table.Th>
            <Table.Th ta="right">Days in stage</Table.Th>
            <Table.Th ta="right">Usually (p90)</Table.Th>
            <Table.Th ta="right">Trapped</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {items.slice(0, shown).map((item) => (
            <Table.Tr key={`${item.kind}/${item.id}`}>
              <Table.Td>
                {item.kind === 'lead' ? (
                  <Anchor
                    href={leadPath(item.id)}
                    onClick={(e) => {
                      e.preventDefault();
                      navigate(leadPath(item.id));
                    }}
                  >
                    {item.name}
                  </Anchor>
                ) : (
                  `${item.name} (deal)`
                )}
              </Table.Td>
              <Table.Td>{item.stageLabel}</Table.Td>
              <Table.Td>
                {item.owner ?? (
                  <Text span c="dimmed">
                    no owner
                  </Text>
                )}
              </Table.Td>
              <Table.Td ta="right">{formatCount(Math.floor(item.ageDays))}</Table.Td>
              <Table.Td ta="right">{formatCount(Math.round(item.normalDays))}</Table.Td>
              <Table.Td ta="right">{formatMoney(item.trapped, currency)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      {items.length > STUCK_PAGE && (
        <ShowMore
          shown={Math.min(shown, items.length)}
          noun={['lead or deal', 'leads and deals']}
          list={{
            hasNextPage: shown < items.length,
            isFetchingNextPage: false,
            fetchNextPage: () => setShown((n) => n + STUCK_PAGE),
          }}
        />
      )}
    </Stack>
  );
}
