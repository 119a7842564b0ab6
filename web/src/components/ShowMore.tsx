import { Button, Group, Text } from '@mantine/core';
import { formatCount } from '../format.ts';

/** Under a paged list: "Show more" while there is more, and how many rows are shown. */
export function ShowMore({
  shown,
  noun,
  list,
}: {
  shown: number;
  /** Singular and plural, e.g. ['person', 'people']. */
  noun: [string, string];
  list: { hasNextPage: boolean; isFetchingNextPage: boolean; fetchNextPage: () => unknown };
}) {
  return (
    <Group>
      {list.hasNextPage && (
        <Button variant="default" onClick={() => list.fetchNextPage()} loading={list.isFetchingNextPage}>
          Show more
        </Button>
      )}
      {shown > 0 && (
        <Text size="sm" c="dimmed">
          Showing {formatCount(shown)} {shown === 1 ? noun[0] : noun[1]}
          {list.hasNextPage ? '; more with Show more' : ''}
        </Text>
      )}
    </Group>
  );
}

/** An empty field in a table. */
export function NotSet() {
  return (
    <Text span c="dimmed" size="sm">
      (not set)
    </Text>
  );
}
