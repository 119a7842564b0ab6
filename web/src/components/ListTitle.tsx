import { Button, Group, Text, Title } from '@mantine/core';

/**
 * The top of a list page: its title and what it lists, and beside them the download of everything
 * the filters keep (shown once the list has something to download).
 */
export function ListTitle({
  title,
  description,
  csvUrl,
}: {
  title: string;
  description: string;
  csvUrl?: string;
}) {
  return (
    <Group justify="space-between" align="flex-start">
      <div>
        <Title order={2}>{title}</Title>
        <Text c="dimmed" size="sm">
          {description}
        </Text>
      </div>
      {csvUrl && (
        <Button component="a" href={csvUrl} download variant="default">
          Download all as CSV
        </Button>
      )}
    </Group>
  );
}
