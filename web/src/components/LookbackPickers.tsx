import { Group, Select } from '@mantine/core';
import { useMemo, useState } from 'react';
import { lookbackStart } from '../format.ts';

const ranges = [
  { value: '30', label: 'Last 30 days' },
  { value: '90', label: 'Last 90 days' },
  { value: '182', label: 'Last 6 months' },
  { value: '365', label: 'Last 12 months' },
];

/** How far back a report looks, in days, and the start of that window as an ISO instant. */
export function useLookback(initialDays = '90') {
  const [days, setDays] = useState(initialDays);
  // Whole days, so the query key (and the cache) does not change every render.
  const from = useMemo(() => lookbackStart(Number(days)), [days]);
  return { days, setDays, from };
}

/** The two pickers of a report page: the look-back window and the period its chart buckets by. */
export function LookbackPickers<P extends string>(props: {
  rangeLabel: string;
  days: string;
  onDays: (days: string) => void;
  periodLabel: string;
  periods: { value: P; label: string }[];
  period: P;
  onPeriod: (period: P) => void;
}) {
  return (
    <Group gap="xs">
      <Select
        label={props.rangeLabel}
        data={ranges}
        value={props.days}
        onChange={(value) => value && props.onDays(value)}
        allowDeselect={false}
        w={160}
        size="xs"
      />
      <Select
        label={props.periodLabel}
        data={props.periods}
        value={props.period}
        onChange={(value) => value && props.onPeriod(value as P)}
        allowDeselect={false}
        w={120}
        size="xs"
      />
    </Group>
  );
}
