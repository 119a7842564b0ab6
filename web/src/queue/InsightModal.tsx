import {
  Alert,
  Button,
  Group,
  Modal,
  SegmentedControl,
  Select,
  Stack,
  Text,
  Textarea,
  TextInput,
} from '@mantine/core';
import { useState } from 'react';
import { usePerson } from '../api/lead.ts';
import { type InsightInput, useLogInsight, useReasons } from '../api/queue.ts';

interface InsightModalProps {
  /** The lead the insight is logged from; null closes the dialog. */
  lead: { personId: string; name: string } | null;
  onClose: () => void;
  onLogged: (words: string) => void;
}

/** A rep logs what they heard in the field — on the lead, or on the lead's account — for marketing to read. */
export function InsightModal({ lead, onClose, onLogged }: InsightModalProps) {
  return (
    <Modal opened={lead !== null} onClose={onClose} title="Log a field insight" size="md">
      {lead && <InsightForm key={lead.personId} lead={lead} onClose={onClose} onLogged={onLogged} />}
    </Modal>
  );
}

function InsightForm({
  lead,
  onClose,
  onLogged,
}: { lead: { personId: string; name: string } } & Omit<InsightModalProps, 'lead'>) {
  const person = usePerson(lead.personId);
  const reasons = useReasons();
  const logInsight = useLogInsight();
  const [about, setAbout] = useState<'lead' | 'account'>('lead');
  const [kind, setKind] = useState<string | null>('competitor_seen');
  const [competitor, setCompetitor] = useState('');
  const [text, setText] = useState('');
  const accountId = person.data?.accountId ?? null;
  const accountName = person.data?.accountName ?? 'their account';

  const submit = () => {
    if (!kind || !text.trim()) return;
    logInsight.mutate(
      {
        ...(about === 'account' && accountId ? { accountId } : { personId: lead.personId }),
        kind: kind as InsightInput['kind'],
        ...(kind === 'competitor_seen' && competitor.trim() ? { competitor: competitor.trim() } : {}),
        text: text.trim(),
      },
      {
        onSuccess: (insight) => {
          onLogged(
            `Insight logged on ${about === 'account' ? accountName : lead.name}: ${insight.kindLabel}.`,
          );
          onClose();
        },
      },
    );
  };

  return (
    <Stack gap="sm">
      <Text size="sm" c="dimmed">
        Marketing reads these in Feedback, next to the rejection reasons.
      </Text>
      <SegmentedControl
        aria-label="About"
        value={about}
        onChange={(value) => setAbout(value as 'lead' | 'account')}
        data={[
          { value: 'lead', label: `This lead (${lead.name})` },
          { value: 'account', label: `Account (${accountName})`, disabled: !accountId },
        ]}
      />
      <Select
        label="What did you hear?"
        data={(reasons.data?.insightKinds ?? []).map((k) => ({ value: k.key, label: k.label }))}
        value={kind}
        onChange={setKind}
        allowDeselect={false}
      />
      {kind === 'competitor_seen' && (
        <TextInput
          label="Which competitor?"
          placeholder="e.g. HubSpot"
          value={competitor}
          onChange={(event) => setCompetitor(event.currentTarget.value)}
        />
      )}
      <Textarea
        label="In a sentence or two"
        placeholder="e.g. They compare us with HubSpot on price per seat."
        autosize
        minRows={3}
        required
        value={text}
        onChange={(event) => setText(event.currentTarget.value)}
      />
      {logInsight.isError && (
        <Alert color="red" title="The insight was not saved">
          {logInsight.error.message}
        </Alert>
      )}
      <Group justify="flex-end">
        <Button variant="default" onClick={onClose}>
          Cancel
        </Button>
        <Button onClick={submit} loading={logInsight.isPending} disabled={!kind || !text.trim()}>
          Log insight
        </Button>
      </Group>
    </Stack>
  );
}
