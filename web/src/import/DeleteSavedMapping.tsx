import { Button } from '@mantine/core';
import { useState } from 'react';
import { SAVED_PREFIX, useDeleteSavedMapping } from '../api/imports.ts';
import { ConfirmDialog } from '../components/ConfirmDialog.tsx';

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
      <ConfirmDialog
        opened={asking}
        title="Delete this saved mapping?"
        confirmLabel="Delete"
        keepLabel="Keep it"
        danger
        pending={remove.isPending}
        error={remove.error}
        onConfirm={() =>
          remove.mutate(name, {
            onSuccess: () => {
              close();
              onDeleted();
            },
          })
        }
        onClose={close}
      >
        <b>{name}</b> will no longer be offered, nor recognised in the next export with its columns. What was
        imported with it stays as it is.
      </ConfirmDialog>
    </>
  );
}
