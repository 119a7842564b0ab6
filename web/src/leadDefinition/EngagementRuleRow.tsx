import { Group, Select, Table, TextInput } from '@mantine/core';
import type { EngagementRuleForm } from './draftForm.ts';
import { RemoveRuleCell, WholeNumberCell } from './RuleCells.tsx';
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
        <WholeNumberCell
          label="Points each"
          width={76}
          min={-1000}
          max={1000}
          value={rule.points}
          onChange={(value) => onChange({ points: value })}
        />
        <WholeNumberCell
          label="Counted at most"
          placeholder="no cap"
          width={84}
          min={1}
          max={1000}
          value={rule.maxCount}
          onChange={(value) => onChange({ maxCount: value })}
        />
        <WholeNumberCell
          label="Within days"
          placeholder="any time"
          width={84}
          min={1}
          max={3650}
          value={rule.withinDays}
          onChange={(value) => onChange({ withinDays: value })}
        />
        <RemoveRuleCell label="Remove engagement rule" onRemove={onRemove} />
      </Table.Tr>
      <RuleProblems problems={problems} columns={6} />
    </>
  );
}
