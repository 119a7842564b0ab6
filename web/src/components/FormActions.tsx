import { Alert, Button, Group } from '@mantine/core';

interface FormActionsProps {
  /** The server's refusal, when no field of the form shows it. */
  error?: Error | null | undefined;
  submitLabel: string;
  pending: boolean;
  onCancel: () => void;
}

/** The foot of a dialog's form: what the server refused, then Cancel and the submit button. */
export function FormActions({ error, submitLabel, pending, onCancel }: FormActionsProps) {
  return (
    <>
      {error && (
        <Alert color="red" role="alert" p="xs">
          {error.message}
        </Alert>
      )}
      <Group justify="flex-end" gap="sm">
        <Button variant="default" onClick={onCancel}>
          Cancel
        </Button>
        <Button type="submit" loading={pending}>
          {submitLabel}
        </Button>
      </Group>
    </>
  );
}
