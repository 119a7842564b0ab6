import { Anchor, Button, Code, List, Paper, Text, Title } from '@mantine/core';
import { navigate, routes } from '../router.ts';

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
          Import your CRM export (HubSpot, Salesforce, Pipedrive or any CSV) here in the browser:
          <div>
            <Button mt={6} size="sm" onClick={() => navigate(routes.import)}>
              Import a CSV export
            </Button>
          </div>
          <Text size="sm" c="dimmed" mt={6}>
            Or from a terminal, for files of any size: <Code>npx lockstep import csv contacts.csv</Code> (the
            kind of export is recognised from its columns; docs/import-mapping.md).
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
        Then come back to this page to see where your funnel leaks.
      </Text>
    </Paper>
  );
}
