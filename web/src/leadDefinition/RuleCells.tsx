// Cells every rule row of the draft form has: whole numbers (points, caps, windows) and "remove".
import { ActionIcon, NumberInput, Table } from '@mantine/core';
import type { NumberField } from './draftForm.ts';

export const asNumberField = (value: number | string): NumberField =>
  typeof value === 'number' ? value : '';

interface WholeNumberCellProps {
  label: string;
  value: NumberField;
  min: number;
  max: number;
  width: number;
  placeholder?: string;
  onChange: (value: NumberField) => void;
}

export function WholeNumberCell({
  label,
  value,
  min,
  max,
  width,
  placeholder,
  onChange,
}: WholeNumberCellProps) {
  return (
    <Table.Td>
      <NumberInput
        aria-label={label}
        placeholder={placeholder}
        size="xs"
        w={width}
        value={value}
        min={min}
        max={max}
        allowDecimal={false}
        onChange={(next) => onChange(asNumberField(next))}
      />
    </Table.Td>
  );
}

export function RemoveRuleCell({ label, onRemove }: { label: string; onRemove: () => void }) {
  return (
    <Table.Td>
      <ActionIcon variant="subtle" color="gray" aria-label={label} onClick={onRemove}>
        ✕
      </ActionIcon>
    </Table.Td>
  );
}
