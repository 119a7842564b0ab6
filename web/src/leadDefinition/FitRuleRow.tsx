import { Group, NumberInput, Select, Table, TagsInput, Text, TextInput } from '@mantine/core';
import { customFieldChoices, type FitRuleForm } from './draftForm.ts';
import { asNumberField, RemoveRuleCell, WholeNumberCell } from './RuleCells.tsx';
import { RuleProblems } from './RuleProblems.tsx';
import { type FitOperator, fieldKind, knownFields, operatorLabels, operatorsFor } from './vocabulary.ts';

const fieldOptions = [
  ...knownFields.map(({ value, label }) => ({ value, label })),
  { value: customFieldChoices[0], label: 'Person attribute…' },
  { value: customFieldChoices[1], label: 'Company attribute…' },
];

interface FitRuleRowProps {
  rule: FitRuleForm;
  problems: string[];
  onChange: (patch: Partial<FitRuleForm>) => void;
  onRemove: () => void;
}

/** One fit rule: which field, how it is compared, and the points it gives. */
export function FitRuleRow({ rule, problems, onChange, onRemove }: FitRuleRowProps) {
  const kind = fieldKind(rule.field);
  const operators = operatorsFor(kind);
  const changeField = (field: string | null) => {
    if (!field) return;
    // A field of another kind starts from its most natural comparison: numbers fall in a range.
    const newKind = fieldKind(field);
    const op = newKind === kind ? rule.op : (operatorsFor(newKind)[0] ?? 'equals');
    onChange({ field, op });
  };
  return (
    <>
      <Table.Tr data-rule={rule.id} style={problems.length > 0 ? { borderBottom: 0 } : undefined}>
        <Table.Td>
          <Group gap={4} wrap="nowrap">
            <Select
              aria-label="Field"
              size="xs"
              w={170}
              data={fieldOptions}
              value={rule.field}
              onChange={changeField}
              allowDeselect={false}
            />
            {kind === 'custom' && (
              <TextInput
                aria-label="Attribute"
                placeholder="attribute, e.g. segment"
                size="xs"
                w={150}
                value={rule.attributeKey}
                onChange={(event) => onChange({ attributeKey: event.currentTarget.value })}
              />
            )}
          </Group>
        </Table.Td>
        <Table.Td>
          <Group gap={4} wrap="nowrap">
            <Select
              aria-label="Condition"
              size="xs"
              w={110}
              data={operators.map((op) => ({ value: op, label: operatorLabels[op] }))}
              value={rule.op}
              onChange={(op) => op && onChange({ op: op as FitOperator })}
              allowDeselect={false}
            />
            <ValueInputs rule={rule} onChange={onChange} />
          </Group>
        </Table.Td>
        <WholeNumberCell
          label="Points"
          width={80}
          min={-1000}
          max={1000}
          value={rule.points}
          onChange={(value) => onChange({ points: value })}
        />
        <Table.Td>
          <TextInput
            aria-label="Label"
            placeholder="optional, e.g. Target industry"
            size="xs"
            value={rule.label}
            onChange={(event) => onChange({ label: event.currentTarget.value })}
          />
        </Table.Td>
        <RemoveRuleCell label="Remove fit rule" onRemove={onRemove} />
      </Table.Tr>
      <RuleProblems problems={problems} columns={5} />
    </>
  );
}

function ValueInputs({ rule, onChange }: Pick<FitRuleRowProps, 'rule' | 'onChange'>) {
  switch (rule.op) {
    case 'exists':
      return null;
    case 'equals':
    case 'contains':
      return (
        <TextInput
          aria-label="Value"
          placeholder={rule.op === 'contains' ? 'text, e.g. VP' : 'value, e.g. Software'}
          size="xs"
          w={190}
          value={rule.value}
          onChange={(event) => onChange({ value: event.currentTarget.value })}
        />
      );
    case 'in':
      return (
        <TagsInput
          aria-label="Values"
          placeholder="type a value, press Enter"
          size="xs"
          w={190}
          value={rule.values}
          onChange={(values) => onChange({ values })}
        />
      );
    case 'range':
      return (
        <Group gap={4} wrap="nowrap">
          <NumberInput
            aria-label="From"
            placeholder="from"
            size="xs"
            w={90}
            value={rule.min}
            onChange={(value) => onChange({ min: asNumberField(value) })}
          />
          <Text size="xs" c="dimmed">
            to
          </Text>
          <NumberInput
            aria-label="Up to"
            placeholder="under"
            size="xs"
            w={96}
            value={rule.max}
            onChange={(value) => onChange({ max: asNumberField(value) })}
          />
        </Group>
      );
  }
}
