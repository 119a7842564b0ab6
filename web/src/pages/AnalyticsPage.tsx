import { Alert, Group, Paper, Select, Skeleton, Stack, Tabs, Text, TextInput, Title } from '@mantine/core';
import { lazy, Suspense, useState } from 'react';
import { type OpenedCell, RecordsDrawer } from '../analytics/RecordsDrawer.tsx';
import { ReportTable } from '../analytics/ReportTable.tsx';
import { byLabels, periodOptions, type ReportTab, reportTabs } from '../analytics/reportTabs.ts';
import {
  type AnalyticsFilters,
  type TableReport,
  useFunnelTotals,
  useTableReport,
} from '../api/analytics.ts';
import { isRebuilding } from '../api/client.ts';
import { FirstCountNotice, RecountingNotice } from '../components/RecountingNotice.tsx';

// ECharts is large: load it with the charts, not with the page.
const ReportChart = lazy(() =>
  import('../analytics/ReportChart.tsx').then((module) => ({ default: module.ReportChart })),
);

const noFilters: AnalyticsFilters = { period: 'all', segment: '', source: '', team: '' };

/** Shared numbers: every report with the same filters, every number opening to its records. */
export function AnalyticsPage() {
  const [filters, setFilters] = useState<AnalyticsFilters>(noFilters);
  const [tab, setTab] = useState<string>('funnel');
  const [opened, setOpened] = useState<OpenedCell | null>(null);

  return (
    <Stack gap="md">
      <Group justify="space-between" align="flex-end">
        <div>
          <Title order={2}>Analytics</Title>
          <Text c="dimmed" size="sm">
            One set of numbers for marketing and sales. Click any number to see the leads or deals behind it.
          </Text>
        </div>
        <FilterBar filters={filters} onChange={setFilters} />
      </Group>
      <Tabs value={tab} onChange={(value) => value && setTab(value)} keepMounted={false}>
        <Tabs.List>
          <Tabs.Tab value="funnel">Funnel</Tabs.Tab>
          {reportTabs.map((t) => (
            <Tabs.Tab key={t.name} value={t.name}>
              {t.label}
            </Tabs.Tab>
          ))}
        </Tabs.List>
        <Tabs.Panel value="funnel" pt="md">
          <FunnelTab filters={filters} onOpen={setOpened} />
        </Tabs.Panel>
        {reportTabs.map((t) => (
          <Tabs.Panel key={t.name} value={t.name} pt="md">
            <ReportTabPanel tab={t} filters={filters} onOpen={setOpened} />
          </Tabs.Panel>
        ))}
      </Tabs>
      <RecordsDrawer opened={opened} onClose={() => setOpened(null)} />
    </Stack>
  );
}

function FilterBar({
  filters,
  onChange,
}: {
  filters: AnalyticsFilters;
  onChange: (f: AnalyticsFilters) => void;
}) {
  const [text, setText] = useState({ segment: filters.segment, source: filters.source });
  const commit = () => onChange({ ...filters, ...text });
  const textInput = (key: 'segment' | 'source', label: string, placeholder: string) => (
    <TextInput
      label={label}
      placeholder={placeholder}
      size="xs"
      w={150}
      value={text[key]}
      onChange={(event) => setText({ ...text, [key]: event.currentTarget.value })}
      onBlur={commit}
      onKeyDown={(event) => event.key === 'Enter' && commit()}
    />
  );
  return (
    <Group gap="xs" align="flex-end">
      <Select
        label="Period"
        title="Leads created, deals opened (pipeline) or won (attribution) in this period"
        size="xs"
        w={160}
        data={periodOptions}
        value={filters.period}
        allowDeselect={false}
        onChange={(value) => value && onChange({ ...filters, period: value })}
      />
      {textInput('segment', 'Segment', 'any segment')}
      {textInput('source', 'Source', 'any source')}
      <Select
        label="Owner's team"
        size="xs"
        w={130}
        data={[
          { value: '', label: 'Both teams' },
          { value: 'marketing', label: 'Marketing' },
          { value: 'sales', label: 'Sales' },
        ]}
        value={filters.team}
        allowDeselect={false}
        onChange={(value) => onChange({ ...filters, team: value ?? '' })}
      />
    </Group>
  );
}

function FunnelTab({ filters, onOpen }: { filters: AnalyticsFilters; onOpen: (cell: OpenedCell) => void }) {
  const funnel = useFunnelTotals(filters);
  if (funnel.isError) return <Failed error={funnel.error} />;
  if (!funnel.data) return <Skeleton height={360} />;
  const { stages, total, cells } = funnel.data;
  // The funnel keeps its own shape in the API; here it reads like every other report.
  const report: TableReport = {
    report: 'funnel',
    title: 'Funnel',
    description: 'People that reached each stage',
    filters: funnel.data.filters,
    options: {},
    columns: [
      { key: 'count', label: 'People', unit: 'count' },
      { key: 'conversion', label: '% of stage above', unit: 'rate' },
      { key: 'of_first', label: `% of ${stages[0]?.label ?? 'leads'}`, unit: 'rate' },
    ],
    rows: stages.map((stage, i) => ({
      key: stage.key,
      label: stage.label,
      values: {
        count: total.counts[i] ?? 0,
        conversion: total.conversion[i] ?? null,
        of_first: i === 0 || !total.counts[0] ? null : (total.counts[i] ?? 0) / total.counts[0],
      },
      cells: {
        count: cells.total[i] ?? '',
        conversion: cells.total[i] ?? '',
        of_first: cells.total[i] ?? '',
      },
    })),
    total: null,
    groupsOmitted: 0,
    notes: ['A person counts in every stage they reached (their furthest stage and every stage before it).'],
    recounting: funnel.data.recounting,
  };
  return (
    <ReportBody
      report={report}
      question="How many people reached each stage?"
      groupLabel="Stage"
      onOpen={onOpen}
    />
  );
}

function ReportTabPanel({
  tab,
  filters,
  onOpen,
}: {
  tab: ReportTab;
  filters: AnalyticsFilters;
  onOpen: (cell: OpenedCell) => void;
}) {
  const [by, setBy] = useState(tab.by?.initial);
  const report = useTableReport(tab.name, filters, by ? { by } : {});
  const groupLabel = by ? (byLabels[by] ?? by) : (tab.groupLabel ?? '');
  return (
    <Stack gap="sm">
      {tab.by && (
        <Select
          label="Break down by"
          size="xs"
          w={180}
          data={tab.by.options.map((value) => ({
            value,
            label: value === 'none' ? 'Stage' : (byLabels[value] ?? value),
          }))}
          value={by}
          allowDeselect={false}
          onChange={(value) => value && setBy(value)}
        />
      )}
      {report.isError && <Failed error={report.error} />}
      {!report.data && !report.isError && <Skeleton height={360} />}
      {report.data && (
        <ReportBody report={report.data} question={tab.question} groupLabel={groupLabel} onOpen={onOpen} />
      )}
    </Stack>
  );
}

function ReportBody({
  report,
  question,
  groupLabel,
  onOpen,
}: {
  report: TableReport;
  question: string;
  groupLabel: string;
  onOpen: (cell: OpenedCell) => void;
}) {
  return (
    <Stack gap="sm">
      <RecountingNotice recounting={report.recounting} />
      <Text fw={600}>{question}</Text>
      {report.rows.length === 0 ? (
        <Alert color="gray" title="Nothing to show for these filters">
          Pick a longer period or clear a filter.
        </Alert>
      ) : (
        <Paper withBorder p="md">
          <Suspense fallback={<Skeleton height={300} />}>
            <ReportChart report={report} byGroupLabel={groupLabel} />
          </Suspense>
        </Paper>
      )}
      <Paper withBorder p="md">
        <ReportTable report={report} groupLabel={groupLabel} onOpen={onOpen} />
      </Paper>
    </Stack>
  );
}

function Failed({ error }: { error: Error }) {
  if (isRebuilding(error)) return <FirstCountNotice />;
  return (
    <Alert color="red" title="This report could not be loaded">
      {error.message}
    </Alert>
  );
}
