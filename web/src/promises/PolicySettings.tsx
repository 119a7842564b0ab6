import {
  Alert,
  Button,
  Group,
  Modal,
  NumberInput,
  Select,
  Stack,
  Switch,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useState } from 'react';
import { RowActions } from '../components/RowActions.tsx';
import { gradeOptions } from '../lead/grade.ts';
import {
  type SlaPolicy,
  type SlaPolicyInput,
  useDeletePolicy,
  useSavePolicy,
  useSlaPolicies,
} from './promisesApi.ts';
import { workingHoursWords } from './words.ts';

const blank: SlaPolicyInput = {
  name: '',
  grade: null,
  acceptWithinMinutes: 480,
  firstTouchWithinMinutes: 240,
  escalateAfterMinutes: 240,
  reassignOnEscalation: false,
};

/** Sales' side of the SLA: how fast to answer and to make contact, per fit grade, in working hours. */
export function PolicySettings({ canEdit }: { canEdit: boolean }) {
  const policies = useSlaPolicies();
  const remove = useDeletePolicy();
  const [editing, setEditing] = useState<{ id: string | null; input: SlaPolicyInput } | null>(null);
  return (
    <Stack gap="xs">
      <Group justify="space-between">
        <div>
          <Title order={4}>Sales SLA policies</Title>
          <Text size="xs" c="dimmed">
            Counted in each rep's working hours. A grade's own policy wins; the one without a grade covers the
            rest.
          </Text>
        </div>
        {canEdit && (
          <Button size="xs" onClick={() => setEditing({ id: null, input: blank })}>
            Add policy
          </Button>
        )}
      </Group>
      {policies.isError && <Alert color="red">{policies.error.message}</Alert>}
      {remove.isError && <Alert color="red">{remove.error.message}</Alert>}
      {policies.data?.length === 0 && (
        <Text size="sm" c="dimmed">
          No policy yet, so MQLs have no due time. Add one to start the clock.
        </Text>
      )}
      {policies.data && policies.data.length > 0 && (
        <Table aria-label="SLA policies" fz="sm">
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Policy</Table.Th>
              <Table.Th>Fit grade</Table.Th>
              <Table.Th>Answer within</Table.Th>
              <Table.Th>First contact within</Table.Th>
              <Table.Th>Manager alerted after</Table.Th>
              <Table.Th>Re-assign</Table.Th>
              {canEdit && <Table.Th />}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {policies.data.map((policy: SlaPolicy) => (
              <Table.Tr key={policy.id}>
                <Table.Td fw={500}>{policy.name}</Table.Td>
                <Table.Td>{policy.grade ?? 'any other'}</Table.Td>
                <Table.Td>{workingHoursWords(policy.acceptWithinMinutes)}</Table.Td>
                <Table.Td>{workingHoursWords(policy.firstTouchWithinMinutes)}</Table.Td>
                <Table.Td>{workingHoursWords(policy.escalateAfterMinutes)} more</Table.Td>
                <Table.Td>{policy.reassignOnEscalation ? 'yes' : 'no'}</Table.Td>
                {canEdit && (
                  <RowActions
                    onEdit={() => setEditing({ id: policy.id, input: toInput(policy) })}
                    onDelete={() => remove.mutate(policy.id)}
                  />
                )}
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      <Modal
        opened={editing !== null}
        onClose={() => setEditing(null)}
        title={editing?.id ? 'Edit SLA policy' : 'New SLA policy'}
      >
        {editing && <PolicyForm key={editing.id ?? 'new'} {...editing} onDone={() => setEditing(null)} />}
      </Modal>
    </Stack>
  );
}

function toInput(policy: SlaPolicy): SlaPolicyInput {
  const { id: _id, createdAt: _c, updatedAt: _u, ...input } = policy;
  return input;
}

const hours = (minutes: number) => Math.round((minutes / 60) * 100) / 100;
const minutes = (value: string | number) => Math.round(Number(value) * 60);

function PolicyForm({ id, input, onDone }: { id: string | null; input: SlaPolicyInput; onDone: () => void }) {
  const [form, setForm] = useState(input);
  const save = useSavePolicy();
  const set = <K extends keyof SlaPolicyInput>(key: K, value: SlaPolicyInput[K]) =>
    setForm({ ...form, [key]: value });
  return (
    <Stack gap="sm">
      <TextInput
        label="Name"
        required
        value={form.name}
        onChange={(e) => set('name', e.currentTarget.value)}
      />
      <Select
        label="For fit grade"
        data={[{ value: '', label: 'Every other grade' }, ...gradeOptions]}
        value={form.grade ?? ''}
        onChange={(value) => set('grade', value ? value : null)}
        allowDeselect={false}
      />
      <NumberInput
        label="Accept or reject within (working hours)"
        min={0.25}
        step={0.5}
        decimalScale={2}
        value={hours(form.acceptWithinMinutes)}
        onChange={(value) => set('acceptWithinMinutes', minutes(value))}
      />
      <NumberInput
        label="First call, email or meeting within (working hours)"
        min={0.25}
        step={0.5}
        decimalScale={2}
        value={hours(form.firstTouchWithinMinutes)}
        onChange={(value) => set('firstTouchWithinMinutes', minutes(value))}
      />
      <NumberInput
        label="Alert the manager after a further (working hours)"
        min={0.25}
        step={0.5}
        decimalScale={2}
        value={hours(form.escalateAfterMinutes)}
        onChange={(value) => set('escalateAfterMinutes', minutes(value))}
      />
      <Switch
        label="On escalation, re-assign an unanswered MQL to another rep"
        checked={form.reassignOnEscalation ?? false}
        onChange={(e) => set('reassignOnEscalation', e.currentTarget.checked)}
      />
      {save.isError && <Alert color="red">{save.error.message}</Alert>}
      <Group justify="flex-end">
        <Button variant="default" onClick={onDone}>
          Cancel
        </Button>
        <Button
          loading={save.isPending}
          onClick={() => save.mutate({ id, input: form }, { onSuccess: onDone })}
        >
          Save
        </Button>
      </Group>
    </Stack>
  );
}
