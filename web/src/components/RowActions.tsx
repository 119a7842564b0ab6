import { Button, Group, Table } from '@mantine/core';

/** The Edit and Delete buttons at the end of a settings table's row. */
export function RowActions({ onEdit, onDelete }: { onEdit: () => void; onDelete: () => void }) {
  return (
    <Table.Td>
      <Group gap={4} justify="flex-end" wrap="nowrap">
        <Button size="compact-xs" variant="subtle" onClick={onEdit}>
          Edit
        </Button>
        <Button size="compact-xs" variant="subtle" color="red" onClick={onDelete}>
          Delete
        </Button>
      </Group>
    </Table.Td>
  );
}
