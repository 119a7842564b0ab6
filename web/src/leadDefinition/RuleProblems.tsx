import { Table, Text } from '@mantine/core';

/** What is wrong with one rule, right under it in the form. */
export function RuleProblems({ problems, columns }: { problems: string[]; columns: number }) {
  if (problems.length === 0) return null;
  return (
    <Table.Tr>
      <Table.Td colSpan={columns} pt={0}>
        {problems.map((problem) => (
          <Text key={problem} size="xs" c="red.7" role="alert">
            {problem}
          </Text>
        ))}
      </Table.Td>
    </Table.Tr>
  );
}
