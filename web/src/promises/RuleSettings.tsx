import {
  ActionIcon,
  Alert,
  Button,
  Group,
  Modal,
  NumberInput,
  SegmentedControl,
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
import { RowActions } from '../components/RowActions.tsx';
import {
  type RoutingCondition,
  type RoutingRule,
  type RoutingRuleInput,
  useDeleteRule,
  useRoutingRules,
  useSaveRule,
} from './promisesApi.ts';
import { conditionValue, conditionWords, fieldLabels, operatorLabels, valueText } from './ruleWords.ts';

/** Who gets which MQL: the account owner first, then these rules in order, then round-robin in a team. */
export function RuleSettings({ canEdit }: { canEdit: boolean }) {
  const rules = useRoutingRules();
  const reps = useReps();
  const remove = useDeleteRule();
  const [editing, setEditing] = useState<{ id: string | null; input: RoutingRuleInput } | null>(null);
  const repName = (id: string | null) => reps.data?.find((r) => r.userId === id)?.name ?? 'a rep';
  return (
    <Stack gap="xs">
      <Group justify="space-between">
        <div>
          <Title order={4}>Routing rules</Title>
          <Text size="xs" c="dimmed">
            A new MQL goes to its account's owner; otherwise to the first rule that matches (top to bottom);
            otherwise round-robin by weight, skipping reps out of office or at capacity.
          </Text>
        </div>
        {canEdit && (
          <Button
            size="xs"
            onClick={() => setEditing({ id: null, input: newRule(rules.data ?? [], reps.data ?? []) })}
          >
            Add rule
          </Button>
        )}
      </Group>
      {rules.isError && <Alert color="red">{rules.error.message}</Alert>}
      {remove.isError && <Alert color="red">{remove.error.message}</Alert>}
      {rules.data?.length === 0 && (
        <Text size="sm" c="dimmed">
          No rules: every MQL without an account owner goes round-robin.
        </Text>
      )}
      {rules.data && rules.data.length > 0 && (
        <Table aria-label="Routing rules" fz="sm">
          <Table.Thead>
            <Table.Tr>
              <Table.Th w={40}>#</Table.Th>
              <Table.Th>Rule</Table.Th>
              <Table.Th>When</Table.Th>
              <Table.Th>Goes to</Table.Th>
              <Table.Th>Active</Table.Th>
              {canEdit && <Table.Th />}
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rules.data.map((rule: RoutingRule, index) => (
              <Table.Tr key={rule.id} c={rule.active ? undefined : 'dimmed'}>
                <Table.Td>{index + 1}</Table.Td>
                <Table.Td fw={500}>
                  {rule.name}{' '}
                  {shadowed(rules.data, index) && (
                    <Text span size="xs" c="orange.8">
                      (never reached: a rule above takes every lead)
                    </Text>
                  )}
                </Table.Td>
                <Table.Td>
                  {rule.conditions.length === 0
                    ? 'every lead'
                    : rule.conditions.map(conditionWords).join(' and ')}
                </Table.Td>
                <Table.Td>
                  {rule.assignToUserId
                    ? repName(rule.assignToUserId)
                    : `team ${rule.assignToTeam} (round-robin)`}
                </Table.Td>
                <Table.Td>{rule.active ? 'yes' : 'no'}</Table.Td>
                {canEdit && (
                  <RowActions
                    onEdit={() => setEditing({ id: rule.id, input: toInput(rule) })}
                    onDelete={() => remove.mutate(rule.id)}
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
        title={editing?.id ? 'Edit routing rule' : 'New routing rule'}
        size="lg"
      >
        {editing && (
          <RuleForm
            key={editing.id ?? 'new'}
            {...editing}
            reps={reps.data ?? []}
            onDone={() => setEditing(null)}
          />
        )}
      </Modal>
    </Stack>
  );
}

/**
 * A blank rule placed just before the first catch-all rule (one without conditions), so it can be reached:
 * rules with the same position keep the order they were added in.
 */
function newRule(rules: readonly RoutingRule[], reps: readonly Rep[]): RoutingRuleInput {
  const catchAll = rules.find((rule) => rule.active && rule.conditions.length === 0);
  const team = reps.find((rep) => rep.active && rep.weight > 0)?.salesTeam ?? 'default';
  return {
    name: '',
    conditions: [],
    assignToTeam: team,
    ...(catchAll && catchAll.position > 0 ? { position: catchAll.position - 1 } : {}),
  };
}

/** A rule below an active rule without conditions never gets a lead. */
function shadowed(rules: readonly RoutingRule[], index: number): boolean {
  return rules.slice(0, index).some((rule) => rule.active && rule.conditions.length === 0);
}

function toInput(rule: RoutingRule): RoutingRuleInput {
  return {
    name: rule.name,
    position: rule.position,
    conditions: rule.conditions,
    ...(rule.assignToUserId
      ? { assignToUserId: rule.assignToUserId }
      : { assignToTeam: rule.assignToTeam ?? 'default' }),
    active: rule.active,
  };
}

interface ConditionDraft {
  /** Stable while the list is edited, so React keeps each row's inputs. */
  key: number;
  field: string;
  op: RoutingCondition['op'];
  text: string;
}

function RuleForm({
  id,
  input,
  reps,
  onDone,
}: {
  id: string | null;
  input: RoutingRuleInput;
  reps: Rep[];
  onDone: () => void;
}) {
  const save = useSaveRule();
  const [name, setName] = useState(input.name);
  const [position, setPosition] = useState<number | string>(input.position ?? '');
  const [active, setActive] = useState(input.active ?? true);
  const [target, setTarget] = useState<'rep' | 'team'>(input.assignToUserId ? 'rep' : 'team');
  const [userId, setUserId] = useState<string | null>(input.assignToUserId ?? null);
  const [team, setTeam] = useState<string | null>(input.assignToTeam ?? 'default');
  const [conditions, setConditions] = useState<ConditionDraft[]>(
    input.conditions.map((c, i) => ({ key: i, field: c.field, op: c.op, text: valueText(c.value) })),
  );
  const teams = [...new Set(reps.map((r) => r.salesTeam))];
  const update = (i: number, patch: Partial<ConditionDraft>) =>
    setConditions(conditions.map((c, j) => (i === j ? { ...c, ...patch } : c)));

  const submit = () => {
    const body: RoutingRuleInput = {
      name,
      ...(position === '' ? {} : { position: Number(position) }),
      active,
      conditions: conditions.map((c) => {
        const value = conditionValue(c.op, c.text);
        return value === undefined ? { field: c.field, op: c.op } : { field: c.field, op: c.op, value };
      }),
      ...(target === 'rep' ? { assignToUserId: userId ?? '' } : { assignToTeam: team ?? '' }),
    };
    save.mutate({ id, input: body }, { onSuccess: onDone });
  };

  return (
    <Stack gap="sm">
      <Group grow>
        <TextInput
          label="Name"
          required
          value={name}
          onChange={(e) => setName(e.currentTarget.value)}
          placeholder="EMEA enterprise"
        />
        <NumberInput
          label="Position (0 = first)"
          min={0}
          value={position}
          onChange={setPosition}
          placeholder="last"
        />
      </Group>
      <Text size="sm" fw={500}>
        When all of these hold{' '}
        {conditions.length === 0 && (
          <Text span c="dimmed" size="sm">
            (no condition: every lead)
          </Text>
        )}
      </Text>
      {conditions.map((condition, i) => (
        <Group key={condition.key} gap="xs" align="flex-end" wrap="nowrap">
          <Select
            aria-label="Field"
            data={Object.entries(fieldLabels).map(([value, label]) => ({ value, label }))}
            value={condition.field}
            onChange={(value) => value && update(i, { field: value })}
            searchable
            w={190}
            size="xs"
          />
          <Select
            aria-label="Operator"
            data={Object.entries(operatorLabels).map(([value, label]) => ({ value, label }))}
            value={condition.op}
            onChange={(value) => value && update(i, { op: value as RoutingCondition['op'] })}
            allowDeselect={false}
            w={130}
            size="xs"
          />
          <TextInput
            aria-label="Value"
            placeholder={condition.op === 'in' || condition.op === 'not_in' ? 'a, b, c' : 'value'}
            disabled={condition.op === 'exists'}
            value={condition.text}
            onChange={(e) => update(i, { text: e.currentTarget.value })}
            style={{ flex: 1 }}
            size="xs"
          />
          <ActionIcon
            variant="subtle"
            color="red"
            aria-label="Remove condition"
            onClick={() => setConditions(conditions.filter((_, j) => j !== i))}
          >
            ✕
          </ActionIcon>
        </Group>
      ))}
      <Button
        size="xs"
        variant="light"
        w="fit-content"
        onClick={() =>
          setConditions([
            ...conditions,
            {
              key: Math.max(-1, ...conditions.map((c) => c.key)) + 1,
              field: 'account.industry',
              op: 'equals',
              text: '',
            },
          ])
        }
      >
        + Condition
      </Button>
      <Group align="flex-end" gap="xs">
        <SegmentedControl
          aria-label="Give matching leads to"
          value={target}
          onChange={(value) => setTarget(value as 'rep' | 'team')}
          data={[
            { value: 'team', label: 'A team (round-robin)' },
            { value: 'rep', label: 'One rep' },
          ]}
        />
        {target === 'rep' ? (
          <Select
            aria-label="Rep"
            data={reps.map((r) => ({ value: r.userId, label: r.name }))}
            value={userId}
            onChange={setUserId}
            searchable
            w={220}
          />
        ) : (
          <Select aria-label="Team" data={teams} value={team} onChange={setTeam} searchable w={220} />
        )}
      </Group>
      <Switch label="Active" checked={active} onChange={(e) => setActive(e.currentTarget.checked)} />
      {save.isError && <Alert color="red">{save.error.message}</Alert>}
      <Group justify="flex-end">
        <Button variant="default" onClick={onDone}>
          Cancel
        </Button>
        <Button loading={save.isPending} onClick={submit} disabled={!name.trim()}>
          Save rule
        </Button>
      </Group>
    </Stack>
  );
}
