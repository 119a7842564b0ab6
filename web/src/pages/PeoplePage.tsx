import {
  Alert,
  Anchor,
  Badge,
  CloseButton,
  Group,
  Select,
  Skeleton,
  Stack,
  Table,
  Text,
  TextInput,
} from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useState } from 'react';
import { useAccount } from '../api/accounts.ts';
import { peopleCsvUrl, usePeople } from '../api/people.ts';
import { useFunnelReport } from '../api/reports.ts';
import type { FunnelStage, Person } from '../api/types.ts';
import { ListTitle } from '../components/ListTitle.tsx';
import { NotSet, ShowMore } from '../components/ShowMore.tsx';
import { formatDate, humanize } from '../format.ts';
import { gradeColors, gradeOptions } from '../lead/grade.ts';
import { personName, stageName } from '../people/names.ts';
import { leadPath, navigate, routes } from '../router.ts';

/** Who is in the funnel: every lead and contact, newest first, searchable. */
export function PeoplePage() {
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search.trim(), 300);
  const [stage, setStage] = useState<string | null>(null);
  const [source, setSource] = useState<string | null>(null);
  const [grade, setGrade] = useState<string | null>(null);
  // From an account's people count on the Accounts page (/people?account=…).
  const [accountId, setAccountId] = useState(() =>
    new URLSearchParams(window.location.search).get('account'),
  );
  const account = useAccount(accountId);
  const filter = {
    q,
    stage: stage ?? undefined,
    source: source ?? undefined,
    grade: grade ?? undefined,
    accountId: accountId ?? undefined,
  };
  const people = usePeople(filter);
  const bySource = useFunnelReport({ by: 'source' });
  const stages = bySource.data?.stages ?? [];
  const sources = (bySource.data?.rows ?? []).flatMap((row) => (row.group === null ? [] : [row.group]));
  const items = people.data?.pages.flatMap((page) => page.items) ?? [];

  return (
    <Stack gap="md">
      <ListTitle
        title="People"
        description="Every lead and contact in Lockstep, newest first, with the stage they are in now."
        csvUrl={items.length > 0 ? peopleCsvUrl(filter) : undefined}
      />
      <Group align="flex-end">
        <TextInput
          label="Search"
          placeholder="Name or email"
          value={search}
          onChange={(event) => setSearch(event.currentTarget.value)}
          w={280}
        />
        <Select
          label="Stage"
          placeholder="Any stage"
          clearable
          data={stages.map(({ key, label }) => ({ value: key, label }))}
          value={stage}
          onChange={setStage}
          w={180}
        />
        <Select
          label="Source"
          placeholder="Any source"
          clearable
          searchable
          data={sources.map((value) => ({ value, label: humanize(value) }))}
          value={source}
          onChange={setSource}
          w={200}
        />
        <Select
          label="Fit grade"
          placeholder="Any grade"
          clearable
          data={gradeOptions}
          value={grade}
          onChange={setGrade}
          w={150}
        />
        {accountId && (
          <Badge
            size="lg"
            variant="light"
            tt="none"
            rightSection={
              <CloseButton
                size="xs"
                aria-label="Show every account's people"
                onClick={() => {
                  setAccountId(null);
                  window.history.replaceState(null, '', routes.people);
                }}
              />
            }
          >
            At {account.data?.name ?? 'one account'}
          </Badge>
        )}
      </Group>

      {people.isError && (
        <Alert color="red" title="People could not be loaded">
          {people.error.message}
        </Alert>
      )}
      {people.isPending && <Skeleton height={300} />}
      {people.data && items.length === 0 && (
        <Text c="dimmed">
          {q || stage || source || grade || accountId ? (
            'Nobody matches these filters.'
          ) : (
            <>
              No people yet.{' '}
              <Anchor
                href={routes.import}
                onClick={(event) => {
                  event.preventDefault();
                  navigate(routes.import);
                }}
              >
                Import your CRM export
              </Anchor>{' '}
              (HubSpot, Salesforce, Pipedrive or any CSV).
            </>
          )}
        </Text>
      )}
      {items.length > 0 && <PeopleTable people={items} stages={stages} />}
      <ShowMore shown={items.length} noun={['person', 'people']} list={people} />
    </Stack>
  );
}

function PeopleTable({ people, stages }: { people: Person[]; stages: FunnelStage[] }) {
  return (
    <Table.ScrollContainer minWidth={900}>
      <Table aria-label="People" highlightOnHover verticalSpacing={6}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Name</Table.Th>
            <Table.Th>Email</Table.Th>
            <Table.Th>Account</Table.Th>
            <Table.Th>Stage</Table.Th>
            <Table.Th title="Fit grade (A best, D worst) and engagement points">Fit · engagement</Table.Th>
            <Table.Th>Source</Table.Th>
            <Table.Th>Owner</Table.Th>
            <Table.Th>Added</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {people.map((person) => (
            <Table.Tr
              key={person.id}
              style={{ cursor: 'pointer' }}
              onClick={() => navigate(leadPath(person.id))}
            >
              <Table.Td>
                <Anchor
                  href={leadPath(person.id)}
                  size="sm"
                  onClick={(event) => {
                    // The row opens the lead; a plain click on the name must not open it twice.
                    event.preventDefault();
                  }}
                >
                  {personName(person)}
                </Anchor>
              </Table.Td>
              <Table.Td>{person.email ?? <NotSet />}</Table.Td>
              <Table.Td>{person.accountName ?? <NotSet />}</Table.Td>
              <Table.Td>
                <Badge variant="light" color="gray" tt="none">
                  {stageName(person.stage, stages)}
                </Badge>
              </Table.Td>
              <Table.Td style={{ whiteSpace: 'nowrap' }}>
                <Score score={person.score} />
              </Table.Td>
              <Table.Td>{person.source === null ? <NotSet /> : humanize(person.source)}</Table.Td>
              <Table.Td>{person.ownerName ?? <NotSet />}</Table.Td>
              <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDate(person.createdAt)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

/** Fit grade and engagement points, as the lead definition scored the person. */
function Score({ score }: { score: Person['score'] }) {
  if (!score) return <NotSet />;
  return (
    <Group
      gap={6}
      wrap="nowrap"
      title={`Fit grade ${score.grade}, ${score.engagementPoints} engagement points`}
    >
      <Badge size="sm" tt="none" color={gradeColors[score.grade]}>
        {score.grade}
      </Badge>
      <Text size="sm">{Math.round(score.engagementPoints)} pts</Text>
    </Group>
  );
}
