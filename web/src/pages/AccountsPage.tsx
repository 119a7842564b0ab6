import { Alert, Anchor, Group, Skeleton, Stack, Table, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useState } from 'react';
import { accountsCsvUrl, useAccounts } from '../api/accounts.ts';
import type { Account } from '../api/types.ts';
import { ListTitle } from '../components/ListTitle.tsx';
import { NotSet, ShowMore } from '../components/ShowMore.tsx';
import { formatCount, formatDate } from '../format.ts';
import { navigate, routes } from '../router.ts';

/** The companies the people work for, by name, with how many people Lockstep knows at each. */
export function AccountsPage() {
  const [search, setSearch] = useState('');
  const [q] = useDebouncedValue(search.trim(), 300);
  const accounts = useAccounts(q);
  const items = accounts.data?.pages.flatMap((page) => page.items) ?? [];

  return (
    <Stack gap="md">
      <ListTitle
        title="Accounts"
        description="Every company in Lockstep, by name. People are matched to their account by their email's domain."
        csvUrl={items.length > 0 ? accountsCsvUrl(q) : undefined}
      />
      <Group align="flex-end">
        <TextInput
          label="Search"
          placeholder="Name or domain"
          value={search}
          onChange={(event) => setSearch(event.currentTarget.value)}
          w={280}
        />
      </Group>
      {accounts.isError && (
        <Alert color="red" title="Accounts could not be loaded">
          {accounts.error.message}
        </Alert>
      )}
      {accounts.isPending && <Skeleton height={300} />}
      {accounts.data && items.length === 0 && (
        <Text c="dimmed">
          {q ? 'No account matches this search.' : 'No accounts yet: they come with the people you import.'}
        </Text>
      )}
      {items.length > 0 && <AccountsTable accounts={items} />}
      <ShowMore shown={items.length} noun={['account', 'accounts']} list={accounts} />
    </Stack>
  );
}

function AccountsTable({ accounts }: { accounts: Account[] }) {
  return (
    <Table.ScrollContainer minWidth={800}>
      <Table aria-label="Accounts" highlightOnHover verticalSpacing={6}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Name</Table.Th>
            <Table.Th>Domain</Table.Th>
            <Table.Th>Industry</Table.Th>
            <Table.Th ta="right">Employees</Table.Th>
            <Table.Th>Country</Table.Th>
            <Table.Th>Owner</Table.Th>
            <Table.Th ta="right">People</Table.Th>
            <Table.Th>Added</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {accounts.map((account) => (
            <Table.Tr key={account.id}>
              <Table.Td fw={500}>{account.name}</Table.Td>
              <Table.Td>{account.domain ?? <NotSet />}</Table.Td>
              <Table.Td>{account.industry ?? <NotSet />}</Table.Td>
              <Table.Td ta="right">
                {account.employees === null ? <NotSet /> : formatCount(account.employees)}
              </Table.Td>
              <Table.Td>{account.country ?? <NotSet />}</Table.Td>
              <Table.Td>{account.ownerName ?? <NotSet />}</Table.Td>
              <Table.Td ta="right">
                {account.peopleCount === 0 ? (
                  '0'
                ) : (
                  <Anchor
                    size="sm"
                    href={`${routes.people}?account=${account.id}`}
                    onClick={(event) => {
                      event.preventDefault();
                      navigate(`${routes.people}?account=${account.id}`);
                    }}
                  >
                    {formatCount(account.peopleCount)}
                  </Anchor>
                )}
              </Table.Td>
              <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDate(account.createdAt)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
