import { Alert, Button, Group, NumberInput, Select, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { formatCount, formatRate } from '../format.ts';
import { type PromisePeriod, useMarketingPromises, useSetPromise } from './promisesApi.ts';

/** Marketing's side of the SLA: MQLs per period and the share of them that should reach SQL. */
export function PromiseSettings({ canEdit }: { canEdit: boolean }) {
  const promises = useMarketingPromises();
  const save = useSetPromise();
  const [period, setPeriod] = useState<PromisePeriod>('month');
  const current = promises.data?.find((p) => p.period === period);
  const [volume, setVolume] = useState<number | string>('');
  const [rate, setRate] = useState<number | string>('');
  const shownVolume = volume === '' ? (current?.mqlVolume ?? '') : volume;
  const shownRate = rate === '' ? (current ? Math.round(current.minMqlToSqlRate * 1000) / 10 : '') : rate;
  return (
    <Stack gap="xs">
      <div>
        <Title order={4}>Marketing's promise</Title>
        <Text size="xs" c="dimmed">
          {promises.data && promises.data.length > 0
            ? promises.data
                .map(
                  (p) =>
                    `${formatCount(p.mqlVolume)} MQLs per ${p.period} at ≥ ${formatRate(p.minMqlToSqlRate)} to SQL`,
                )
                .join(' · ')
            : 'No promise yet.'}
        </Text>
      </div>
      {canEdit && (
        <Group align="flex-end" gap="xs">
          <Select
            label="Per"
            data={['week', 'month', 'quarter']}
            value={period}
            onChange={(value) => {
              if (!value) return;
              setPeriod(value as PromisePeriod);
              setVolume('');
              setRate('');
            }}
            allowDeselect={false}
            w={110}
            size="xs"
          />
          <NumberInput label="MQLs" min={0} value={shownVolume} onChange={setVolume} w={110} size="xs" />
          <NumberInput
            label="Min. MQL→SQL (%)"
            min={0}
            max={100}
            decimalScale={1}
            value={shownRate}
            onChange={setRate}
            w={140}
            size="xs"
          />
          <Button
            size="xs"
            loading={save.isPending}
            disabled={shownVolume === '' || shownRate === ''}
            onClick={() =>
              save.mutate(
                { period, mqlVolume: Number(shownVolume), minMqlToSqlRate: Number(shownRate) / 100 },
                {
                  onSuccess: () => {
                    setVolume('');
                    setRate('');
                  },
                },
              )
            }
          >
            Save promise
          </Button>
        </Group>
      )}
      {save.isError && <Alert color="red">{save.error.message}</Alert>}
    </Stack>
  );
}
