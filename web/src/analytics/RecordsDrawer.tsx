import { Alert, Anchor, Button, Drawer, Group, Skeleton, Table, Text } from '@mantine/core';
import { recordsCsvUrl, useRecords } from '../api/analytics.ts';
import { formatCount, formatDate } from '../format.ts';
import { leadPath, navigate } from '../router.ts';

/** Which number was clicked: the report it belongs to, its cell, and words for the title. */
export interface OpenedCell {
  report: string;
  cell: string;
  title: string;
  /** The number as shown, when it is a count: the drawer says how many it lists. */
  count?: number;
}

// Columns worth reading in a narrow drawer; the CSV has every column.
const leadColumns = ['name', 'stage', 'source', 'campaign', 'owner', 'segment', 'month'];
const dealColumns = ['name', 'account', 'owner', 'product', 'stage', 'amount', 'opened_at', 'closed_at'];

/** A lead's name as people read it: first and last name, else the email. */
const leadName = (record: Record<string, string | number | null>) =>
  [record.first_name, record.last_name].filter(Boolean).join(' ') || String(record.email ?? 'unnamed lead');

const show = (column: string, value: string | number | null) => {
  if (value === null || value === '') return '–';
  if (typeof value === 'number') return formatCount(value);
  return column.endsWith('_at') ? formatDate(value) : value;
};

/** The leads or deals behind a number, with the CSV of all of them. */
export function RecordsDrawer({ opened, onClose }: { opened: OpenedCell | null; onClose: () => void }) {
  const records = useRecords(opened?.report ?? '', opened?.cell);
  const data = records.data;
  const columns = data ? (data.kind === 'leads' ? leadColumns : dealColumns) : [];
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
                  {columns.map((c) => (
                    <Table.Th key={c}>{c.replaceAll('_', ' ')}</Table.Th>
                  ))}
                </Table.Tr>
              </Table.Thead>
              <Table.Tbody>
                {data.records.map((record) => (
                  <Table.Tr key={String(record.id)}>
                    {columns.map((c, i) => (
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
                          show(c, record[c] ?? null)
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
