import {
  Alert,
  Badge,
  Button,
  Checkbox,
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
import { type Rep, useReps } from '../api/queue.ts';
import { fromLocalInput, toLocalInput } from '../format.ts';
import { type RepSettingsInput, useUpdateRep } from './promisesApi.ts';

const weekdays = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

/** "Mon–Fri 09:00–17:00 (Europe/Berlin)" */
export function calendarWords(rep: Pick<Rep, 'workingDays' | 'workStart' | 'workEnd' | 'timeZone'>): string {
  const days = [...rep.workingDays].sort();
  const consecutive = days.every((day, i) => i === 0 || day === (days[i - 1] ?? 0) + 1);
  const dayWords =
    consecutive && days.length > 2
      ? `${weekdays[(days[0] ?? 1) - 1]}–${weekdays[(days.at(-1) ?? 1) - 1]}`
      : days.map((d) => weekdays[d - 1]).join(', ');
  return `${dayWords} ${rep.workStart}–${rep.workEnd} (${rep.timeZone})`;
}

/** Reps' calendars (the SLA clock counts their working hours), availability, capacity and round-robin weight. */
export function RepSettings({ canEditAll, currentUserId }: { canEditAll: boolean; currentUserId: string }) {
  const reps = useReps();
  const [editing, setEditing] = useState<Rep | null>(null);
  return (
    <Stack gap="xs">
      <div>
        <Title order={4}>Reps</Title>
        <Text size="xs" c="dimmed">
          Capacity counts open MQLs not yet worked; a rep at capacity or out of office is skipped by
          round-robin.
        </Text>
      </div>
      {reps.isError && <Alert color="red">{reps.error.message}</Alert>}
      {reps.data && (
        <Table aria-label="Reps" fz="sm" striped>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Rep</Table.Th>
              <Table.Th>Team</Table.Th>
              <Table.Th>Working hours</Table.Th>
              <Table.Th ta="right">Open MQLs / capacity</Table.Th>
              <Table.Th ta="right">Weight</Table.Th>
              <Table.Th>Manager</Table.Th>
              <Table.Th />
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {reps.data.map((rep) => (
              <Table.Tr key={rep.userId} c={rep.active ? undefined : 'dimmed'}>
                <Table.Td fw={500}>
                  {rep.name}{' '}
                  {rep.outOfOffice && (
                    <Badge size="xs" color="gray" tt="none">
                      out of office
                    </Badge>
                  )}
                  {!rep.active && (
                    <Badge size="xs" color="gray" variant="outline" tt="none">
                      inactive
                    </Badge>
                  )}
                </Table.Td>
                <Table.Td>{rep.salesTeam}</Table.Td>
                <Table.Td>{calendarWords(rep)}</Table.Td>
                <Table.Td ta="right" c={rep.atCapacity ? 'red.8' : undefined}>
                  {rep.openMqls} / {rep.capacity}
                </Table.Td>
                <Table.Td ta="right">{rep.weight}</Table.Td>
                <Table.Td>{rep.managerName ?? '—'}</Table.Td>
                <Table.Td>
                  {(canEditAll || rep.userId === currentUserId) && (
                    <Button size="compact-xs" variant="subtle" onClick={() => setEditing(rep)}>
                      Edit
                    </Button>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      <Modal
        opened={editing !== null}
        onClose={() => setEditing(null)}
        title={`Settings of ${editing?.name ?? ''}`}
        size="lg"
      >
        {editing && (
          <RepForm
            key={editing.userId}
            rep={editing}
            reps={reps.data ?? []}
            canEditAll={canEditAll}
            onDone={() => setEditing(null)}
          />
        )}
      </Modal>
    </Stack>
  );
}

const timeZones = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : ['UTC'];

function RepForm({
  rep,
  reps,
  canEditAll,
  onDone,
}: {
  rep: Rep;
  reps: Rep[];
  canEditAll: boolean;
  onDone: () => void;
}) {
  const update = useUpdateRep();
  const [form, setForm] = useState({
    salesTeam: rep.salesTeam,
    timeZone: rep.timeZone,
    workingDays: rep.workingDays.map(String),
    workStart: rep.workStart,
    workEnd: rep.workEnd,
    outOfOfficeFrom: toLocalInput(rep.outOfOfficeFrom),
    outOfOfficeUntil: toLocalInput(rep.outOfOfficeUntil),
    capacity: rep.capacity as number | string,
    weight: rep.weight as number | string,
    managerId: rep.managerId,
    active: rep.active,
  });
  const set = <K extends keyof typeof form>(key: K, value: (typeof form)[K]) =>
    setForm({ ...form, [key]: value });

  const submit = () => {
    const calendar: RepSettingsInput = {
      timeZone: form.timeZone,
      workingDays: form.workingDays.map(Number).sort(),
      workStart: form.workStart,
      workEnd: form.workEnd,
      outOfOfficeFrom: fromLocalInput(form.outOfOfficeFrom),
      outOfOfficeUntil: fromLocalInput(form.outOfOfficeUntil),
    };
    const input: RepSettingsInput = canEditAll
      ? {
          ...calendar,
          salesTeam: form.salesTeam,
          capacity: Number(form.capacity),
          weight: Number(form.weight),
          managerId: form.managerId,
          active: form.active,
        }
      : calendar;
    update.mutate({ userId: rep.userId, input }, { onSuccess: onDone });
  };

  return (
    <Stack gap="sm">
      <Group grow>
        <Select
          label="Time zone"
          data={timeZones}
          value={form.timeZone}
          onChange={(v) => v && set('timeZone', v)}
          searchable
        />
        <TextInput
          label="Day starts"
          type="time"
          value={form.workStart}
          onChange={(e) => set('workStart', e.currentTarget.value)}
        />
        <TextInput
          label="Day ends"
          type="time"
          value={form.workEnd}
          onChange={(e) => set('workEnd', e.currentTarget.value)}
        />
      </Group>
      <Checkbox.Group label="Working days" value={form.workingDays} onChange={(v) => set('workingDays', v)}>
        <Group gap="sm" mt={4}>
          {weekdays.map((day, i) => (
            <Checkbox key={day} value={String(i + 1)} label={day} />
          ))}
        </Group>
      </Checkbox.Group>
      <Group grow>
        <TextInput
          label="Out of office from"
          type="datetime-local"
          value={form.outOfOfficeFrom}
          onChange={(e) => set('outOfOfficeFrom', e.currentTarget.value)}
        />
        <TextInput
          label="Out of office until"
          type="datetime-local"
          value={form.outOfOfficeUntil}
          onChange={(e) => set('outOfOfficeUntil', e.currentTarget.value)}
        />
      </Group>
      {canEditAll && (
        <>
          <Group grow>
            <TextInput
              label="Team"
              value={form.salesTeam}
              onChange={(e) => set('salesTeam', e.currentTarget.value)}
            />
            <NumberInput
              label="Capacity (open MQLs)"
              min={0}
              value={form.capacity}
              onChange={(v) => set('capacity', v)}
            />
            <NumberInput
              label="Round-robin weight"
              min={0}
              max={100}
              value={form.weight}
              onChange={(v) => set('weight', v)}
            />
          </Group>
          <Group grow align="flex-end">
            <Select
              label="Manager (alerted on a breach)"
              data={reps
                .filter((r) => r.userId !== rep.userId)
                .map((r) => ({ value: r.userId, label: r.name }))}
              value={form.managerId}
              onChange={(v) => set('managerId', v)}
              clearable
            />
            <Switch
              label="Gets new leads (active)"
              checked={form.active}
              onChange={(e) => set('active', e.currentTarget.checked)}
            />
          </Group>
        </>
      )}
      {update.isError && <Alert color="red">{update.error.message}</Alert>}
      <Group justify="flex-end">
        <Button variant="default" onClick={onDone}>
          Cancel
        </Button>
        <Button loading={update.isPending} onClick={submit}>
          Save
        </Button>
      </Group>
    </Stack>
  );
}
