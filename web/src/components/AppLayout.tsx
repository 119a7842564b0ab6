import { AppShell, Badge, Button, Group, NavLink, Stack, Text } from '@mantine/core';
import { Fragment, type ReactNode } from 'react';
import { useSignOut } from '../api/session.ts';
import type { Role, User } from '../api/types.ts';
import { humanize } from '../format.ts';
import { type Route, type RoutePath, routes } from '../router.ts';

interface AppLayoutProps {
  user: User;
  route: Route;
  onNavigate: (path: RoutePath) => void;
  children: ReactNode;
}

interface NavPage {
  path: RoutePath;
  label: string;
  /** Shown when the pointer rests on the entry. */
  description: string;
  covers: Route['page'][];
  /** Who sees the page in the navigation; everyone when absent. */
  roles?: Role[];
  /** The group of the navigation the page is listed in, under this heading. */
  section: 'Shared numbers' | 'Hand-off' | 'Records' | 'Set-up';
}

// One line a page, in four groups, so that every page shows on a laptop screen without scrolling.
const pages: NavPage[] = [
  {
    path: routes.funnel,
    section: 'Shared numbers',
    label: 'Funnel',
    description: 'Where the funnel leaks',
    covers: ['funnel'],
  },
  {
    path: routes.analytics,
    section: 'Shared numbers',
    label: 'Analytics',
    description: 'Shared numbers, every one clickable',
    covers: ['analytics'],
  },
  {
    path: routes.targets,
    section: 'Shared numbers',
    label: 'Targets',
    description: 'The shared revenue target',
    covers: ['targets'],
  },
  {
    path: routes.bottlenecks,
    section: 'Shared numbers',
    label: 'Bottlenecks',
    description: 'Stuck leads, trapped revenue',
    covers: ['bottlenecks'],
  },
  {
    path: routes.queue,
    section: 'Hand-off',
    label: 'My queue',
    description: 'MQLs waiting for my verdict',
    covers: ['queue'],
    // Only reps have a queue; admins look at any rep's (QueuePage).
    roles: ['sales', 'admin'],
  },
  {
    path: routes.promises,
    section: 'Hand-off',
    label: 'Promises',
    description: 'The two-way SLA, both teams',
    covers: ['promises'],
  },
  {
    path: routes.feedback,
    section: 'Hand-off',
    label: 'Feedback',
    description: "Sales' verdicts and insights",
    covers: ['feedback'],
  },
  {
    path: routes.people,
    section: 'Records',
    label: 'People',
    description: 'Every lead and contact',
    covers: ['people', 'lead'],
  },
  {
    path: routes.accounts,
    section: 'Records',
    label: 'Accounts',
    description: 'The companies they work for',
    covers: ['accounts'],
  },
  {
    path: routes.opportunities,
    section: 'Records',
    label: 'Opportunities',
    description: 'Every deal and its history',
    covers: ['opportunities'],
  },
  {
    path: routes.leadDefinition,
    section: 'Set-up',
    label: 'Lead definition',
    description: 'What a sales-ready lead is',
    covers: ['leadDefinition', 'newDraft'],
  },
  {
    path: routes.import,
    section: 'Set-up',
    label: 'Import',
    description: 'Bring in a CRM export',
    covers: ['import'],
  },
  {
    path: routes.integrations,
    section: 'Set-up',
    label: 'Integrations',
    description: 'Webhooks, email, delivery log',
    covers: ['integrations'],
    roles: ['admin'],
  },
  {
    path: routes.team,
    section: 'Set-up',
    label: 'Team',
    description: 'Who signs in, and who signs the definition',
    covers: ['team'],
  },
];

/** Tables with a sticky header stick below the app's header, not under it. */
export const appHeaderHeight = 52;

/** "Sales" for a sales rep, "Sales · admin" for an admin on the sales team. */
function teamAndRole({ team, role }: User): string {
  return role === team ? humanize(team) : `${humanize(team)} · ${role}`;
}

/** The frame around every signed-in page: the product name, the pages, and who is signed in. */
export function AppLayout({ user, route, onNavigate, children }: AppLayoutProps) {
  const signOut = useSignOut();
  const visiblePages = pages.filter((page) => !page.roles || page.roles.includes(user.role));
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
            <Badge variant="light" tt="none" color={user.team === 'marketing' ? 'grape' : 'teal'}>
              {teamAndRole(user)}
            </Badge>
            <Button variant="subtle" size="xs" onClick={() => signOut.mutate()} loading={signOut.isPending}>
              Sign out
            </Button>
          </Group>
        </Group>
      </AppShell.Header>
      {/* On a laptop screen the pages do not all fit: the list scrolls on its own. */}
      <AppShell.Navbar p="xs" style={{ overflowY: 'auto' }}>
        <Stack gap={2} component="nav" aria-label="Pages">
          {visiblePages.map((page, i) => (
            <Fragment key={page.path}>
              {page.section !== visiblePages[i - 1]?.section && (
                <Text size="xs" fw={600} c="dimmed" tt="uppercase" px="sm" pt={8} pb={2}>
                  {page.section}
                </Text>
              )}
              <NavLink
                href={page.path}
                label={page.label}
                title={page.description}
                py={6}
                active={page.covers.includes(route.page)}
                onClick={(event) => {
                  event.preventDefault();
                  onNavigate(page.path);
                }}
              />
            </Fragment>
          ))}
          <NavLink href="/api/docs" target="_blank" label="API docs ↗" title="REST API reference" py={6} />
        </Stack>
      </AppShell.Navbar>
      <AppShell.Main>{children}</AppShell.Main>
    </AppShell>
  );
}
