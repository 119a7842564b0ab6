import { AppShell, Badge, Button, Group, NavLink, Stack, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { useSignOut } from '../api/session.ts';
import type { User } from '../api/types.ts';
import { type Route, type RoutePath, routes } from '../router.ts';

interface AppLayoutProps {
  user: User;
  route: Route;
  onNavigate: (path: RoutePath) => void;
  children: ReactNode;
}

const pages: { path: RoutePath; label: string; description: string; covers: Route['page'][] }[] = [
  { path: routes.funnel, label: 'Funnel', description: 'Where the funnel leaks', covers: ['funnel'] },
  { path: routes.people, label: 'People', description: 'Every lead and contact', covers: ['people', 'lead'] },
  {
    path: routes.leadDefinition,
    label: 'Lead definition',
    description: 'What a sales-ready lead is',
    covers: ['leadDefinition', 'newDraft'],
  },
];

/** Tables with a sticky header stick below the app's header, not under it. */
export const appHeaderHeight = 52;

/** The frame around every signed-in page: the product name, the pages, and who is signed in. */
export function AppLayout({ user, route, onNavigate, children }: AppLayoutProps) {
  const signOut = useSignOut();
  return (
    <AppShell header={{ height: appHeaderHeight }} navbar={{ width: 200, breakpoint: 0 }} padding="md">
      <AppShell.Header px="md">
        <Group h="100%" justify="space-between">
          <Text fw={700} fz="lg">
            Lockstep
          </Text>
          <Group gap="sm">
            <Text size="sm" fw={500}>
              {user.name}
            </Text>
            <Badge variant="light" color={user.team === 'marketing' ? 'grape' : 'teal'}>
              {user.team}
            </Badge>
            <Badge variant="outline" color="gray">
              {user.role}
            </Badge>
            <Button variant="subtle" size="xs" onClick={() => signOut.mutate()} loading={signOut.isPending}>
              Sign out
            </Button>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs">
        <Stack gap={2} component="nav" aria-label="Pages">
          {pages.map((page) => (
            <NavLink
              key={page.path}
              href={page.path}
              label={page.label}
              description={page.description}
              active={page.covers.includes(route.page)}
              onClick={(event) => {
                event.preventDefault();
                onNavigate(page.path);
              }}
            />
          ))}
          <NavLink href="/api/docs" target="_blank" label="API docs ↗" description="REST API reference" />
        </Stack>
      </AppShell.Navbar>
      <AppShell.Main>{children}</AppShell.Main>
    </AppShell>
  );
}
