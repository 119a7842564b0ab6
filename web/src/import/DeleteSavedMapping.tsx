import { Alert, Button, Group, Modal, Stack, Text } from '@mantine/core';
import { useState } from 'react';
import { SAVED_PREFIX, useDeleteSavedMapping } from '../api/imports.ts';

/** "Delete this saved mapping", asked once more; `onDeleted` follows a deletion. */
export function DeleteSavedMapping({ preset, onDeleted }: { preset: string; onDeleted: () => void }) {
  const name = preset.slice(SAVED_PREFIX.length);
  const [asking, setAsking] = useState(false);
  const remove = useDeleteSavedMapping();
  const close = () => {
    setAsking(false);
    remove.reset();
  };
  return (
    <>
      <Button variant="subtle" color="red" onClick={() => setAsking(true)}>
        Delete this saved mapping…
      </Button>
      <Modal opened={asking} onClose={close} title="Delete this saved mapping?">
        <Stack>
          <Text size="sm">
            <b>{name}</b> will no longer be offered, nor recognised in the next export with its columns. What
            was imported with it stays as it is.
          </Text>
          {remove.isError && <Alert color="red">{remove.error.message}</Alert>}
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              Keep it
            </Button>
            <Button
              color="red"
              loading={remove.isPending}
              onClick={() =>
                remove.mutate(name, {
                  onSuccess: () => {
                    close();
                    onDeleted();
                  },
                })
              }
            >
              Delete
            </Button>
          </Group>
        </Stack>
      </Modal>
    </>
  );
}
