import { ActionIcon, Group, NumberInput, Select, Table, TextInput } from '@mantine/core';
import type { EngagementRuleForm } from './draftForm.ts';
import { asNumberField } from './FitRuleRow.tsx';
import { RuleProblems } from './RuleProblems.tsx';
import { activityTypeLabels, knownActivityTypes } from './vocabulary.ts';

const customType = '__custom';
const activityOptions = [
  ...knownActivityTypes.map((type) => ({ value: type, label: activityTypeLabels[type] })),
  { value: customType, label: 'Other type…' },
];

interface EngagementRuleRowProps {
  rule: EngagementRuleForm;
  problems: string[];
  onChange: (patch: Partial<EngagementRuleForm>) => void;
  onRemove: () => void;
}

const isKnown = (type: string) => (knownActivityTypes as string[]).includes(type);

/** One engagement rule: which activity counts, when, for how many points, how often and how recently. */
export function EngagementRuleRow({ rule, problems, onChange, onRemove }: EngagementRuleRowProps) {
  const known = isKnown(rule.activityType);
  return (
    <>
      <Table.Tr data-rule={rule.id}>
        <Table.Td>
          <Group gap={4} wrap="nowrap">
            <Select
              aria-label="Activity"
              size="xs"
              w={150}
              data={activityOptions}
              value={known ? rule.activityType : customType}
              onChange={(type) => type && onChange({ activityType: type === customType ? '' : type })}
              allowDeselect={false}
            />
            {!known && (
              <TextInput
                aria-label="Activity type"
                placeholder="e.g. trial_signup"
                size="xs"
                w={130}
                value={rule.activityType}
                onChange={(event) => onChange({ activityType: event.currentTarget.value })}
              />
            )}
          </Group>
        </Table.Td>
        <Table.Td>
          <Group gap={4} wrap="nowrap">
            <TextInput
              aria-label="Property"
              placeholder="property, e.g. url"
              size="xs"
              w={120}
              value={rule.property}
              onChange={(event) => onChange({ property: event.currentTarget.value })}
            />
            <TextInput
              aria-label="Contains"
              placeholder="contains, e.g. /pricing"
              size="xs"
              w={140}
              value={rule.contains}
              onChange={(event) => onChange({ contains: event.currentTarget.value })}
            />
          </Group>
        </Table.Td>
        <Table.Td>
          <NumberInput
            aria-label="Points each"
            size="xs"
            w={76}
            value={rule.points}
            min={-1000}
            max={1000}
            allowDecimal={false}
            onChange={(value) => onChange({ points: asNumberField(value) })}
          />
        </Table.Td>
        <Table.Td>
          <NumberInput
            aria-label="Counted at most"
            placeholder="no cap"
            size="xs"
            w={84}
            min={1}
            max={1000}
            allowDecimal={false}
            value={rule.maxCount}
            onChange={(value) => onChange({ maxCount: asNumberField(value) })}
          />
        </Table.Td>
        <Table.Td>
          <NumberInput
            aria-label="Within days"
            placeholder="any time"
            size="xs"
            w={84}
            min={1}
            max={3650}
            allowDecimal={false}
            value={rule.withinDays}
            onChange={(value) => onChange({ withinDays: asNumberField(value) })}
          />
        </Table.Td>
        <Table.Td>
          <ActionIcon variant="subtle" color="gray" aria-label="Remove engagement rule" onClick={onRemove}>
            ✕
          </ActionIcon>
        </Table.Td>
      </Table.Tr>
      <RuleProblems problems={problems} columns={6} />
    </>
  );
}
