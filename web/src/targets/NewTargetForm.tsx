import { Alert, Button, Group, NumberInput, TextInput } from '@mantine/core';
import { useState } from 'react';
import { useCreateTarget } from '../api/targets.ts';

/** An admin sets the revenue target of a quarter or a month. */
export function NewTargetForm({ onCreated }: { onCreated: (period: string) => void }) {
  const create = useCreateTarget();
  const [period, setPeriod] = useState('');
  const [amount, setAmount] = useState<number | ''>('');
  return (
    <form
      onSubmit={(event) => {
        event.preventDefault();
        if (amount === '') return;
        create.mutate(
          { period: period.trim(), amount },
          { onSuccess: (target) => onCreated(target.period.name) },
        );
      }}
    >
      <Group align="flex-end" gap="sm">
        <TextInput
          label="Period"
          placeholder="2027-Q1 or 2027-01"
          value={period}
          onChange={(e) => setPeriod(e.currentTarget.value)}
          w={170}
          required
        />
        <NumberInput
          label="Revenue target"
          prefix="$"
          thousandSeparator=","
          min={1}
          value={amount}
          onChange={(v) => setAmount(typeof v === 'number' ? v : '')}
          w={200}
          required
        />
        <Button type="submit" loading={create.isPending}>
          Set target
        </Button>
      </Group>
      {create.isError && (
        <Alert color="red" mt="xs" p="xs">
          {create.error.message}
        </Alert>
      )}
    </form>
  );
}
