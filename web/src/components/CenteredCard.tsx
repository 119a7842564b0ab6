import { Center, Paper, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';

/** The narrow card used by the pages a person sees before signing in. */
export function CenteredCard({
  title,
  intro,
  children,
}: {
  title: string;
  intro: string;
  children: ReactNode;
}) {
  return (
    <Center mih="100vh" bg="gray.0" p="md">
      <Paper withBorder shadow="sm" p="xl" w={400} maw="100%">
        <Stack gap="xs" mb="lg">
          <Text fw={700} c="blue.7">
            Lockstep
          </Text>
          <Title order={2}>{title}</Title>
          <Text c="dimmed" size="sm">
            {intro}
          </Text>
        </Stack>
        {children}
      </Paper>
    </Center>
  );
}
