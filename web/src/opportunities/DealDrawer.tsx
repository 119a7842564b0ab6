import {
  Alert,
  Anchor,
  Badge,
  Drawer,
  Group,
  SimpleGrid,
  Skeleton,
  Stack,
  Text,
  Timeline,
  Title,
} from '@mantine/core';
import { type DealTransition, type Pipeline, useOpportunity } from '../api/opportunities.ts';
import { formatDate, movedBy } from '../format.ts';
import { stageName } from '../people/names.ts';
import { leadPath, navigate } from '../router.ts';
import { formatMoney } from './money.ts';

/** One deal: its facts and its immutable stage history (who moved it, when, why). */
export function DealDrawer({
  dealId,
  pipeline,
  onClose,
}: {
  dealId: string | null;
  pipeline: Pipeline | undefined;
  onClose: () => void;
}) {
  const deal = useOpportunity(dealId);
  const data = deal.data;
  return (
    <Drawer
      opened={dealId !== null}
      onClose={onClose}
      position="right"
      size="md"
      title={data?.name ?? 'Deal'}
    >
      {deal.isError && (
        <Alert color="red" title="This deal could not be loaded">
          {deal.error.message}
        </Alert>
      )}
      {deal.isPending && <Skeleton height={300} />}
      {data && (
        <Stack gap="md">
          <Group gap="xs">
            <Badge
              variant="light"
              tt="none"
              color={data.stage === 'won' ? 'teal' : data.stage === 'lost' ? 'red' : 'blue'}
            >
              {stageName(data.stage, pipeline?.stages)}
            </Badge>
            <Text fw={600}>
              {data.amount === null ? 'No amount' : formatMoney(data.amount, data.currency)}
            </Text>
          </Group>
          <SimpleGrid cols={2} spacing="xs" verticalSpacing={4}>
            <Fact label="Account" value={data.accountName} />
            <Fact label="Owner" value={data.ownerName} />
            <Fact label="Product" value={data.product} />
            <Fact label="Opened" value={formatDate(data.openedAt)} />
            <Fact label="Closed" value={data.closedAt ? formatDate(data.closedAt) : null} />
            <Fact label="Lost reason" value={data.lostReason} />
          </SimpleGrid>
          {data.personId && (
            <Text size="sm">
              Lead:{' '}
              <Anchor
                href={leadPath(data.personId)}
                onClick={(event) => {
                  event.preventDefault();
                  navigate(leadPath(data.personId!));
                }}
              >
                {data.personName ?? 'open the lead'}
              </Anchor>
            </Text>
          )}
          <div>
            <Title order={5} mb="xs">
              Stage history
            </Title>
            <Timeline
              active={data.history.length - 1}
              bulletSize={14}
              lineWidth={2}
              aria-label="Deal history"
            >
              {data.history.map((step) => (
                <Timeline.Item key={step.seq} title={moveTitle(step, pipeline)}>
                  <Text size="xs" c="dimmed">
                    {formatDate(step.occurredAt)} · {movedBy(step)}
                  </Text>
                  {step.reason && <Text size="sm">{step.reason}</Text>}
                </Timeline.Item>
              ))}
            </Timeline>
          </div>
        </Stack>
      )}
    </Drawer>
  );
}

function moveTitle(step: DealTransition, pipeline: Pipeline | undefined): string {
  const name = (key: string) => stageName(key, pipeline?.stages);
  return step.fromStage === null
    ? `Opened in ${name(step.toStage)}`
    : `${name(step.fromStage)} → ${name(step.toStage)}`;
}

function Fact({ label, value }: { label: string; value: string | null }) {
  return (
    <div>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text size="sm">{value ?? '—'}</Text>
    </div>
  );
}
