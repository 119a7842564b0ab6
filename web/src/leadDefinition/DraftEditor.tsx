import {
  Alert,
  Button,
  Group,
  NumberInput,
  Paper,
  Select,
  Stack,
  Table,
  Text,
  Textarea,
  Title,
} from '@mantine/core';
import { useState } from 'react';
import { ApiError } from '../api/client.ts';
import { useProposeDefinition } from '../api/leadDefinitions.ts';
import type { DefinitionVersion, Grade } from '../api/types.ts';
import { fitGrades } from '../lead/grade.ts';
import { definitionFromForm } from './draftDefinition.ts';
import {
  type DefinitionForm,
  type DefinitionProblem,
  formFromDefinition,
  newEngagementRule,
  newFitRule,
} from './draftForm.ts';
import { EngagementRuleRow } from './EngagementRuleRow.tsx';
import { FitRuleRow } from './FitRuleRow.tsx';
import { asNumberField } from './RuleCells.tsx';
import { gradeThreshold } from './ruleWords.ts';

interface DraftEditorProps {
  /** The version the draft starts from (the one in force), if any. */
  base: DefinitionVersion | undefined;
  onSaved: (version: DefinitionVersion) => void;
  onCancel: () => void;
}

/** A form for the next version of the lead definition; the server's objections appear next to their rule. */
export function DraftEditor({ base, onSaved, onCancel }: DraftEditorProps) {
  const [form, setForm] = useState<DefinitionForm>(() => formFromDefinition(base?.rules));
  const [problems, setProblems] = useState<DefinitionProblem[]>([]);
  const propose = useProposeDefinition();
  const change = (patch: Partial<DefinitionForm>) => setForm((current) => ({ ...current, ...patch }));
  // Editing a rule answers its problems: they disappear until the next save says otherwise.
  const forget = (rule: string) => setProblems((current) => current.filter((p) => p.rule !== rule));
  const problemsOf = (rule: string | null) => problems.filter((p) => p.rule === rule).map((p) => p.message);
  const known = new Set([...form.fitRules, ...form.engagementRules].map((rule) => rule.id));
  const general = problems.filter((p) => p.rule === null || !known.has(p.rule));

  const save = () => {
    const draft = definitionFromForm(form);
    setProblems(draft.problems);
    if (!draft.rules) return;
    propose.mutate(
      { rules: draft.rules, note: form.note.trim() || undefined },
      { onSuccess: onSaved, onError: (error) => setProblems(serverProblems(error)) },
    );
  };

  return (
    <Stack gap="md">
      <Paper withBorder p="md">
        <Title order={4}>Fit — who we want</Title>
        <Text size="sm" c="dimmed" mb="xs">
          Points for who the lead is and where they work. Their sum gives the fit grade.
        </Text>
        {form.fitRules.length > 0 && (
          <Table aria-label="Fit rules" verticalSpacing={4} withRowBorders={false}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Field</Table.Th>
                <Table.Th>Condition</Table.Th>
                <Table.Th>Points</Table.Th>
                <Table.Th>Label</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {form.fitRules.map((rule, index) => (
                <FitRuleRow
                  key={rule.id}
                  rule={rule}
                  problems={problemsOf(rule.id)}
                  onChange={(patch) => {
                    forget(rule.id);
                    change({ fitRules: form.fitRules.with(index, { ...rule, ...patch }) });
                  }}
                  onRemove={() => change({ fitRules: form.fitRules.filter((other) => other !== rule) })}
                />
              ))}
            </Table.Tbody>
          </Table>
        )}
        <Group mt="xs" gap="lg" align="flex-end">
          <Button
            variant="light"
            size="xs"
            onClick={() => change({ fitRules: [...form.fitRules, newFitRule(form)] })}
          >
            Add fit rule
          </Button>
          <Group gap="xs" align="flex-end">
            {(['A', 'B', 'C'] as const).map((grade) => (
              <NumberInput
                key={grade}
                label={`Grade ${grade} from`}
                size="xs"
                w={100}
                value={form.cutoffs[grade]}
                onChange={(value) => change({ cutoffs: { ...form.cutoffs, [grade]: asNumberField(value) } })}
              />
            ))}
            <Text size="xs" c="dimmed" pb={6}>
              fit points; below C is D
            </Text>
          </Group>
        </Group>
      </Paper>

      <Paper withBorder p="md">
        <Title order={4}>Engagement — what they do</Title>
        <Text size="sm" c="dimmed" mb="xs">
          Points for each activity; negative points count against. Leave cap and window empty to count every
          activity.
        </Text>
        {form.engagementRules.length > 0 && (
          <Table aria-label="Engagement rules" verticalSpacing={4} withRowBorders={false}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Activity</Table.Th>
                <Table.Th>Only when (optional)</Table.Th>
                <Table.Th>Points each</Table.Th>
                <Table.Th>Cap</Table.Th>
                <Table.Th>Last N days</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {form.engagementRules.map((rule, index) => (
                <EngagementRuleRow
                  key={rule.id}
                  rule={rule}
                  problems={problemsOf(rule.id)}
                  onChange={(patch) => {
                    forget(rule.id);
                    change({ engagementRules: form.engagementRules.with(index, { ...rule, ...patch }) });
                  }}
                  onRemove={() =>
                    change({ engagementRules: form.engagementRules.filter((other) => other !== rule) })
                  }
                />
              ))}
            </Table.Tbody>
          </Table>
        )}
        <Group mt="xs" gap="lg" align="flex-end">
          <Button
            variant="light"
            size="xs"
            onClick={() => change({ engagementRules: [...form.engagementRules, newEngagementRule(form)] })}
          >
            Add engagement rule
          </Button>
          <NumberInput
            label="Points halve every (days)"
            placeholder="never"
            size="xs"
            w={180}
            min={1}
            value={form.halfLifeDays}
            onChange={(value) => change({ halfLifeDays: asNumberField(value) })}
          />
        </Group>
      </Paper>

      <Paper withBorder p="md">
        <Title order={4} mb="xs">
          Sales-ready (MQL) when
        </Title>
        <Group align="flex-end" gap="sm">
          <Select
            label="Fit grade at least"
            size="xs"
            w={150}
            data={fitGrades.map((grade) => ({
              value: grade,
              label: gradeThreshold(grade),
            }))}
            value={form.minGrade}
            onChange={(grade) => grade && change({ minGrade: grade as Grade })}
            allowDeselect={false}
          />
          <NumberInput
            label="and engagement points at least"
            size="xs"
            w={200}
            value={form.minEngagement}
            onChange={(value) => change({ minEngagement: asNumberField(value) })}
          />
          <Textarea
            label="What changed and why"
            placeholder="e.g. Pricing page visits count more; students no longer fit"
            size="xs"
            autosize
            minRows={1}
            style={{ flex: 1 }}
            value={form.note}
            onChange={(event) => change({ note: event.currentTarget.value })}
          />
        </Group>
      </Paper>

      <Text size="sm" data-testid="draft-sentence">
        {draftSentence(form)}
      </Text>
      {general.length > 0 && (
        <Alert color="red" title="The draft cannot be saved yet">
          {general.map((problem) => (
            <Text key={problem.message} size="sm">
              {problem.rule ? `Rule ${problem.rule}: ` : ''}
              {problem.message}
            </Text>
          ))}
        </Alert>
      )}
      <Group>
        <Button onClick={save} loading={propose.isPending}>
          Save draft
        </Button>
        <Button variant="default" onClick={onCancel}>
          Cancel
        </Button>
        <Text size="sm" c="dimmed">
          A saved draft changes nothing until both teams sign it and an admin publishes it.
        </Text>
      </Group>
    </Stack>
  );
}

/** The server's `invalid_definition` answer lists each problem with its rule; anything else is one problem. */
function serverProblems(error: Error): DefinitionProblem[] {
  const listed = error instanceof ApiError ? error.details?.problems : undefined;
  if (Array.isArray(listed)) {
    return listed.flatMap((item: unknown) =>
      typeof item === 'object' && item !== null && 'message' in item && typeof item.message === 'string'
        ? [
            {
              rule: 'rule' in item && typeof item.rule === 'string' ? item.rule : null,
              message: item.message,
            },
          ]
        : [],
    );
  }
  return [{ rule: null, message: error.message }];
}

/** What the draft would say, as the person types: the same words the page uses for the version in force. */
function draftSentence({ minGrade, cutoffs, minEngagement }: DefinitionForm): string {
  const cutoff = minGrade === 'D' ? '' : cutoffs[minGrade];
  const fit =
    minGrade === 'D'
      ? 'it has any fit grade'
      : `its fit grade is ${gradeThreshold(minGrade)}${cutoff === '' ? '' : ` (${cutoff}+ fit points)`}`;
  return `With this draft, a lead is sales-ready (MQL) when ${fit} and its engagement is at least ${minEngagement || 0} points.`;
}
