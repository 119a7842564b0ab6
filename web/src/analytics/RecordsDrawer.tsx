import { Alert, Anchor, Button, Drawer, Group, Skeleton, Table, Text } from '@mantine/core';
import { recordsCsvUrl, useRecords } from '../api/analytics.ts';
import { useLifecycle } from '../api/lead.ts';
import { usePipeline } from '../api/opportunities.ts';
import { formatCount, formatDate, formatMonth, humanize } from '../format.ts';
import { formatMoney } from '../opportunities/money.ts';
import { stageName } from '../people/names.ts';
import { leadPath, navigate } from '../router.ts';

/** Which number was clicked: the report it belongs to, its cell, and words for the title. */
export interface OpenedCell {
  report: string;
  cell: string;
  title: string;
  /** The number as shown, when it is a count: the drawer says how many it lists. */
  count?: number;
}

// Columns worth reading in a narrow drawer, with their headers; the CSV has every column, as stored.
const leadColumns = {
  name: 'Name',
  stage: 'Stage',
  source: 'Source',
  campaign: 'Campaign',
  owner: 'Owner',
  segment: 'Segment',
  month: 'Month',
};
const dealColumns = {
  name: 'Deal',
  account: 'Account',
  owner: 'Owner',
  product: 'Product',
  stage: 'Stage',
  amount: 'Amount',
  opened_at: 'Opened',
  closed_at: 'Closed',
};

type RecordRow = Record<string, string | number | null>;

/** A lead's name as people read it: first and last name, else the email. */
const leadName = (record: RecordRow) =>
  [record.first_name, record.last_name].filter(Boolean).join(' ') || String(record.email ?? 'unnamed lead');

/** One cell as people read it: stage names, months, dates and amounts formatted, stored keys in words. */
function show(column: string, record: RecordRow, stages: readonly { key: string; label: string }[]): string {
  const value = record[column] ?? null;
  if (value === null || value === '') return '–';
  if (column === 'amount' && typeof value === 'number') {
    return formatMoney(value, String(record.currency ?? 'USD'));
  }
  if (typeof value === 'number') return formatCount(value);
  if (column === 'stage') return stageName(value, stages);
  if (column === 'month') return formatMonth(value);
  if (column.endsWith('_at')) return formatDate(value);
  return column === 'source' || column === 'segment' || column === 'product' ? humanize(value) : value;
}

/** The leads or deals behind a number, with the CSV of all of them. */
export function RecordsDrawer({ opened, onClose }: { opened: OpenedCell | null; onClose: () => void }) {
  const records = useRecords(opened?.report ?? '', opened?.cell);
  const lifecycle = useLifecycle();
  const pipeline = usePipeline();
  const data = records.data;
  const columns = Object.entries(data ? (data.kind === 'leads' ? leadColumns : dealColumns) : {});
  const stages = (data?.kind === 'leads' ? lifecycle.data?.stages : pipeline.data?.stages) ?? [];
  return (
    <Drawer
      opened={opened !== null}
      onClose={onClose}
      position="right"
      size="75%"
      title={<Text fw={600}>{opened?.title}</Text>}
    >
      {records.isError && (
        <Alert color="red" title="These records could not be loaded">
          {records.error.message}
        </Alert>
      )}
      {records.isPending && opened && <Skeleton height={300} />}
      {data && opened && (
        <>
          <Group justify="space-between" mb="sm">
            <Text size="sm" data-testid="records-total">
              {formatCount(data.total)} {data.kind === 'leads' ? 'leads' : 'deals'}
              {data.records.length < data.total ? ` (first ${formatCount(data.records.length)} shown)` : ''}
            </Text>
            <Button
              component="a"
              href={recordsCsvUrl(opened.report, opened.cell)}
              size="xs"
              variant="default"
              download
            >
              Export CSV
            </Button>
          </Group>
          <Table.ScrollContainer minWidth={700}>
            <Table aria-label="Records" striped highlightOnHover tabularNums fz="xs">
              <Table.Thead>
                <Table.Tr>
                  {columns.map(([c, header]) => (
                    <Table.Th key={c} ta={c === 'amount' ? 'right' : undefined}>
                      {header}
                    </Table.Th>
                  ))}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {data.records.map((record) => (
                  <Table.Tr key={String(record.id)}>
                    {columns.map(([c], i) => (
                      <Table.Td
                        key={c}
                        style={{ whiteSpace: 'nowrap' }}
                        ta={c === 'amount' ? 'right' : undefined}
                      >
                        {i === 0 && data.kind === 'leads' ? (
                          <Anchor
                            size="xs"
                            href={leadPath(String(record.id))}
                            onClick={(event) => {
                              event.preventDefault();
                              navigate(leadPath(String(record.id)));
                            }}
                          >
                            {leadName(record)}
                          </Anchor>
                        ) : (
                          show(c, record, stages)
                        )}
                      </Table.Td>
                    ))}
                  </Table.Tr>
                ))}
              </Table.Tbody>
            </Table>
          </Table.ScrollContainer>
        </>
      )}
    </Drawer>
  );
}
