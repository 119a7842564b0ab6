import {
  Alert,
  Anchor,
  Badge,
  Button,
  Group,
  Paper,
  SimpleGrid,
  Skeleton,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { useMemo, useState } from 'react';
import { ByControl } from '../components/ByControl.tsx';
import { countOf, formatCount, formatRate } from '../format.ts';
import { dueWords } from '../queue/dispositionWords.ts';
import { leadPath, navigate } from '../router.ts';
import { ComplianceChart, periodLabel } from './PromiseCharts.tsx';
import {
  type Breach,
  type ComplianceRow,
  type PromisePeriod,
  type SlaReport,
  type SlaReportBy,
  useBreaches,
  useSlaPolicies,
} from './promisesApi.ts';
import { alertWords, complianceColor, minutesWords, policyWords, unheardAlertsSentence } from './words.ts';

interface SalesSideProps {
  report: SlaReport | undefined;
  by: SlaReportBy;
  period: PromisePeriod;
  onBy: (by: SlaReportBy) => void;
}

const byLabels: Record<SlaReportBy, string> = { rep: 'Rep', team: 'Team', period: 'Period' };

/** What sales promised marketing, and how well each rep keeps it. */
export function SalesSide({ report, by, period, onBy }: SalesSideProps) {
  const policies = useSlaPolicies();
  const rows = useMemo(
    () =>
      (report?.sales.rows ?? []).map((row) =>
        by === 'period' && row.key ? { ...row, label: periodLabel(row.key, period) } : row,
      ),
    [report, by, period],
  );
  return (
    <Paper withBorder p="md" h="100%">
      <Stack gap="sm">
        <div>
          <Title order={3}>Sales' promise to marketing</Title>
          {policies.data && policies.data.length > 0 ? (
            policies.data.map((policy) => (
              <Text size="sm" c="dimmed" key={policy.id}>
                {policyWords(policy)}
              </Text>
            ))
          ) : (
            <Text size="sm" c="dimmed">
              No SLA policy yet: an admin sets one under Routing &amp; SLA settings.
            </Text>
          )}
        </div>
        {!report ? (
          <Skeleton height={300} />
        ) : (
          <>
            <Stats total={report.sales.total} />
            <Group justify="space-between">
              <Text fw={600}>On time, by {byLabels[by].toLowerCase()}</Text>
              <ByControl labels={byLabels} value={by} onChange={onBy} ariaLabel="Sales rows by" />
            </Group>
            {rows.length === 0 ? (
              <Text size="sm" c="dimmed">
                No MQL was routed in this range.
              </Text>
            ) : (
              <>
                <ComplianceChart rows={rows} />
                <ComplianceTable rows={rows} total={report.sales.total} label={byLabels[by]} />
              </>
            )}
          </>
        )}
        <Breaches />
      </Stack>
    </Paper>
  );
}

function Stats({ total }: { total: ComplianceRow }) {
  const stats: { label: string; value: string; color?: string; hint: string }[] = [
    {
      label: 'Answered on time',
      value: formatRate(total.acceptCompliance),
      color: complianceColor(total.acceptCompliance),
      hint: `${formatCount(total.acceptMet)} on time, ${formatCount(total.acceptBreached)} late, ${formatCount(total.acceptPending)} waiting`,
    },
    {
      label: 'Contacted on time',
      value: formatRate(total.touchCompliance),
      color: complianceColor(total.touchCompliance),
      hint: `${formatCount(total.touchMet)} on time, ${formatCount(total.touchBreached)} late`,
    },
    {
      label: 'Median answer',
      value: minutesWords(total.medianResponseMinutes),
      hint: `90% within ${minutesWords(total.p90ResponseMinutes)}`,
    },
    {
      label: 'Never contacted',
      value: formatCount(total.neverTouched),
      color: total.neverTouched > 0 ? 'red' : 'teal',
      hint: `of ${countOf(total.mqls, 'MQL')} routed`,
    },
  ];
  return (
    <SimpleGrid cols={4} spacing="xs">
      {stats.map((stat) => (
        <Paper key={stat.label} withBorder p="xs" radius="md" data-testid={`stat-${stat.label}`}>
          <Text size="xs" c="dimmed">
            {stat.label}
          </Text>
          <Text fz={22} fw={700} c={stat.color ? `${stat.color}.8` : undefined}>
            {stat.value}
          </Text>
          <Text size="xs" c="dimmed">
            {stat.hint}
          </Text>
        </Paper>
      ))}
    </SimpleGrid>
  );
}

function ComplianceTable({
  rows,
  total,
  label,
}: {
  rows: ComplianceRow[];
  total: ComplianceRow;
  label: string;
}) {
  const line = (row: ComplianceRow, isTotal: boolean) => (
    <Table.Tr key={isTotal ? 'total' : (row.key ?? row.label)} fw={isTotal ? 600 : undefined}>
      <Table.Td style={{ whiteSpace: 'nowrap' }}>{isTotal ? 'All' : row.label}</Table.Td>
      <Table.Td ta="right">{formatCount(row.mqls)}</Table.Td>
      <Table.Td ta="right">
        <Badge variant="light" tt="none" color={complianceColor(row.acceptCompliance)}>
          {formatRate(row.acceptCompliance)}
        </Badge>
      </Table.Td>
      <Table.Td ta="right">{formatCount(row.acceptBreached)}</Table.Td>
      <Table.Td ta="right">{formatRate(row.touchCompliance)}</Table.Td>
      <Table.Td ta="right" style={{ whiteSpace: 'nowrap' }}>
        {minutesWords(row.medianResponseMinutes)}
      </Table.Td>
      <Table.Td ta="right" style={{ whiteSpace: 'nowrap' }}>
        {minutesWords(row.p90ResponseMinutes)}
      </Table.Td>
      <Table.Td ta="right" c={row.neverTouched > 0 ? 'red.8' : undefined}>
        {formatCount(row.neverTouched)}
      </Table.Td>
    </Table.Tr>
  );
  return (
    <Table aria-label="Sales SLA compliance" fz="xs" striped>
      <Table.Thead>
        <Table.Tr>
          <Table.Th>{label}</Table.Th>
          <Table.Th ta="right">MQLs</Table.Th>
          <Table.Th ta="right">Answered on time</Table.Th>
          <Table.Th ta="right">Late</Table.Th>
          <Table.Th ta="right">Contacted on time</Table.Th>
          <Table.Th ta="right">Median</Table.Th>
          <Table.Th ta="right">p90</Table.Th>
          <Table.Th ta="right">Never contacted</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {rows.map((row) => line(row, false))}
        {line(total, true)}
      </Table.Tbody>
    </Table>
  );
}

const breachKinds: Record<string, string> = {
  accept: 'not answered in time',
  first_touch: 'not contacted in time',
  accept_escalation: 'unanswered — manager alerted',
  first_touch_escalation: 'uncontacted — manager alerted',
};

/** Whom the breach was for, and whether the delivery log says they were told. */
function AlertedCell({ breach }: { breach: Breach }) {
  const { who, what, color, title } = alertWords(breach);
  return (
    <Table.Td maw={200} title={title} data-alert={breach.alert.status}>
      {who && (
        <Text size="sm" c={color === 'dimmed' ? 'dimmed' : undefined} style={{ whiteSpace: 'nowrap' }}>
          {who}
        </Text>
      )}
      <Text size="xs" c={color} lineClamp={2}>
        {what}
      </Text>
    </Table.Td>
  );
}

/** Who is late, on which lead, and who was told: a count per rep, then the latest breaches. */
function Breaches() {
  const breaches = useBreaches(100);
  const [showAll, setShowAll] = useState(false);
  const perRep = useMemo(() => {
    const counts = new Map<string, number>();
    for (const b of breaches.data ?? []) counts.set(b.userName, (counts.get(b.userName) ?? 0) + 1);
    return [...counts].sort((a, b) => b[1] - a[1]);
  }, [breaches.data]);
  const shown = showAll ? (breaches.data ?? []) : (breaches.data ?? []).slice(0, 8);
  const unheard = unheardAlertsSentence(breaches.data ?? []);
  return (
    <Stack gap={4}>
      <Text fw={600}>Who is late</Text>
      {breaches.isError && <Alert color="red">{breaches.error.message}</Alert>}
      {breaches.isPending && <Skeleton height={80} />}
      {breaches.data?.length === 0 && (
        <Text size="sm" c="dimmed">
          Nobody has broken the SLA. Breaches show up here the moment a timer fires.
        </Text>
      )}
      {perRep.length > 0 && (
        <Group gap={6} data-testid="late-by-rep">
          <Text size="sm">Breaches per rep, of the latest {formatCount(breaches.data?.length ?? 0)}:</Text>
          {perRep.map(([name, count]) => (
            <Badge key={name} color="orange" variant="light" tt="none">
              {name}: {count}
            </Badge>
          ))}
        </Group>
      )}
      {shown.length > 0 && (
        <Table aria-label="SLA breaches" fz="sm">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Rep</Table.Th>
              <Table.Th>Lead</Table.Th>
              <Table.Th>What</Table.Th>
              <Table.Th>Was due</Table.Th>
              <Table.Th>Alerted</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {shown.map((breach: Breach) => (
              <Table.Tr key={breach.timerId}>
                <Table.Td fw={500} style={{ whiteSpace: 'nowrap' }}>
                  {breach.userName}
                </Table.Td>
                <Table.Td>
                  <Anchor
                    size="sm"
                    href={leadPath(breach.personId)}
                    onClick={(event) => {
                      event.preventDefault();
                      navigate(leadPath(breach.personId));
                    }}
                  >
                    {breach.personName ?? 'a lead'}
                  </Anchor>
                </Table.Td>
                <Table.Td>
                  <Text size="sm" c={breach.kind.endsWith('escalation') ? 'red.8' : 'orange.8'}>
                    {breachKinds[breach.kind] ?? breach.kind}
                  </Text>
                </Table.Td>
                <Table.Td style={{ whiteSpace: 'nowrap' }}>{dueWords(breach.dueAt)}</Table.Td>
                <AlertedCell breach={breach} />
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      {unheard && (
        <Text size="xs" c="dimmed" data-testid="unheard-alerts">
          {unheard}
        </Text>
      )}
      {(breaches.data?.length ?? 0) > 8 && (
        <Button size="compact-xs" variant="subtle" w="fit-content" onClick={() => setShowAll(!showAll)}>
          {showAll ? 'Show the latest 8' : `Show all ${breaches.data?.length ?? 0}`}
        </Button>
      )}
    </Stack>
  );
}
