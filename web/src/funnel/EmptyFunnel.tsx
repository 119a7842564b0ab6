import { Anchor, Code, List, Paper, Text, Title } from '@mantine/core';

/** What to do when there is nobody in the funnel yet. */
export function EmptyFunnel() {
  return (
    <Paper withBorder p="xl" maw={760}>
      <Title order={3} mb="xs">
        No people in Lockstep yet
      </Title>
      <Text mb="md">The funnel fills as soon as people are imported. Pick one way to bring them in:</Text>
      <List spacing="sm" type="ordered">
        <List.Item>
          Import your CRM export. From HubSpot or Salesforce:
          <Code block mt={4}>
            {'npx lockstep import csv contacts.csv --preset hubspot-contacts\n'}
            {'npx lockstep import csv leads.csv --preset salesforce-leads'}
          </Code>
          <Text size="sm" c="dimmed" mt={4}>
            Any other CSV: <Code>--preset generic</Code>, or a column mapping of your own
            (docs/import-mapping.md).
          </Text>
        </List.Item>
        <List.Item>
          Or send people from your own systems through the REST API:{' '}
          <Anchor href="/api/docs" target="_blank">
            API docs
          </Anchor>
          .
        </List.Item>
      </List>
      <Text mt="md" c="dimmed" size="sm">
        Then reload this page to see where your funnel leaks.
      </Text>
    </Paper>
  );
}
