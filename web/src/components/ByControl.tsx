import { SegmentedControl } from '@mantine/core';

/** A small "by rep / team / period" switch over the keys of `labels`, each shown by its label. */
export function ByControl<Key extends string>({
  labels,
  value,
  onChange,
  ariaLabel,
}: {
  labels: Record<Key, string>;
  value: Key;
  onChange(value: Key): void;
  ariaLabel: string;
}) {
  return (
    <SegmentedControl
      size="xs"
      aria-label={ariaLabel}
      value={value}
      onChange={(next) => onChange(next as Key)}
      data={(Object.keys(labels) as Key[]).map((key) => ({ value: key, label: labels[key] }))}
    />
  );
}
