import { Badge } from '@mantine/core';

const colors: Record<string, string> = {
  delivered: 'teal',
  pending: 'yellow',
  failed: 'red',
  skipped: 'gray',
};

export function StatusBadge({ status }: { status: string }) {
  return (
    <Badge color={colors[status] ?? 'gray'} variant="light" size="sm">
      {status}
    </Badge>
  );
}
