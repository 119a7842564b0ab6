import { type QueryClient, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef } from 'react';
import type { z } from 'zod';
import type {
  importPreviewSchema,
  importRunSchema,
  importRunsSchema,
} from '../../../src/modules/import/import.schema.ts';
import { ApiError, apiGet, apiSend, errorFrom } from './client.ts';

export type ImportRun = z.input<typeof importRunSchema>;
export type ImportRuns = z.input<typeof importRunsSchema>;
export type ImportPreset = ImportRuns['presets'][number];
export type ImportReport = NonNullable<ImportRun['report']>;
export type ImportProblem = ImportReport['problems'][number];

const importsKey = ['imports'] as const;
const unfinished = (run: ImportRun) => run.status === 'queued' || run.status === 'running';

/** The latest imports (web and command line), followed every second while one of them runs. */
export function useImports() {
  return useQuery({
    queryKey: importsKey,
    queryFn: () => apiGet<ImportRuns>('/api/imports'),
    refetchInterval: (query) => (query.state.data?.runs.some(unfinished) ? 1000 : false),
  });
}

/**
 * One import, followed every second until it ends. When one ends under the page's eyes, every
 * other page's numbers are out of date: they are fetched again when next shown.
 */
export function useImportRun(id: string | undefined) {
  const queryClient = useQueryClient();
  const run = useQuery({
    queryKey: [...importsKey, id],
    queryFn: () => apiGet<ImportRun>(`/api/imports/${id}`),
    enabled: id !== undefined,
    refetchInterval: (query) => (query.state.data && !unfinished(query.state.data) ? false : 1000),
  });
  const watched = useRef<string | undefined>(undefined);
  useEffect(() => {
    if (!run.data) return;
    if (unfinished(run.data)) watched.current = run.data.id;
    else if (watched.current === run.data.id) {
      watched.current = undefined;
      void queryClient.invalidateQueries({ predicate: (query) => query.queryKey[0] !== importsKey[0] });
    }
  }, [run.data, queryClient]);
  return run;
}

export interface UploadInput {
  file: File;
  /** A preset name; undefined lets the server pick the one the columns fit. */
  preset?: string;
  /** A mapping of the person's own (docs/import-mapping.md), instead of a preset. */
  mapping?: object;
  /** Keeps `mapping` under this name on the server. */
  saveAs?: string;
  /** For a workbook of several tabs, the one to import. */
  sheet?: string;
  /** 0 to 1 while the file goes up. */
  onUploaded?: (share: number) => void;
}

/** Sends the file to be imported; the run it starts comes back. */
export function useUploadImport() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: UploadInput) => upload(input),
    onSuccess: (run) => {
      queryClient.setQueryData([...importsKey, run.id], run);
      // A mapping may have been saved.
      return refreshPresets(queryClient);
    },
  });
}

/** Saved mappings are offered as `saved:<name>` beside the shipped presets. */
export const SAVED_PREFIX = 'saved:';

/** Deletes a mapping saved with "Save this mapping as" (its name without `saved:`). */
export function useDeleteSavedMapping() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (name: string) =>
      apiSend<void>('DELETE', `/api/imports/mappings/${encodeURIComponent(name)}`),
    onSuccess: () => refreshPresets(queryClient),
  });
}

/** The presets changed: the list (with the runs) is fetched again, and previews guess again. */
function refreshPresets(queryClient: QueryClient) {
  return queryClient.invalidateQueries({
    queryKey: importsKey,
    // Not the runs ([imports, id]): they did not change.
    predicate: (query) => query.queryKey.length !== 2 || query.queryKey[1] === 'preview',
  });
}

function upload({ file, preset, mapping, saveAs, sheet, onUploaded }: UploadInput): Promise<ImportRun> {
  const form = new FormData();
  if (preset) form.append('preset', preset);
  if (mapping) form.append('mapping', JSON.stringify(mapping));
  if (mapping && saveAs?.trim()) form.append('saveAs', saveAs.trim());
  if (sheet !== undefined) form.append('sheet', sheet);
  form.append('file', file, file.name);
  return send<ImportRun>('/api/imports', form, onUploaded);
}

/** Posts a form (XMLHttpRequest: fetch cannot tell how much of a large file went up). */
function send<T>(path: string, form: FormData, onUploaded?: (share: number) => void): Promise<T> {
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open('POST', path);
    request.withCredentials = true;
    request.upload.onprogress = (event) => {
      if (event.lengthComputable) onUploaded?.(event.loaded / event.total);
    };
    request.onerror = () =>
      reject(new ApiError(0, 'network_error', 'Lockstep cannot be reached. Is the server running?'));
    request.onload = () => {
      let payload: unknown;
      try {
        payload = JSON.parse(request.responseText);
      } catch {
        payload = undefined;
      }
      if (request.status >= 200 && request.status < 300) resolve(payload as T);
      else reject(errorFrom(request.status, payload));
    };
    request.send(form);
  });
}

export type ImportPreview = z.input<typeof importPreviewSchema>;
export type MappingSuggestion = ImportPreview['suggestions']['people'];
export type ImportEntity = MappingSuggestion['entity'];

/** How much of a file the preview reads: its header and a few hundred rows. */
const PREVIEW_BYTES = 256 * 1024;

/**
 * The file's columns, first rows, the preset they fit and a first mapping, read before importing.
 * A CSV file's start is enough; an XLSX workbook (a zip archive, told by its first bytes) is read
 * only whole, so it is sent whole, unless it is larger than the server takes (`maxBytes`): then
 * there is no preview (null). `sheet` names the workbook's tab to read; by default its first.
 */
export function useImportPreview(file: File | null, maxBytes: number, sheet?: string) {
  return useQuery({
    queryKey: [...importsKey, 'preview', file?.name, file?.size, file?.lastModified, sheet],
    enabled: file !== null,
    staleTime: Number.POSITIVE_INFINITY,
    queryFn: async (): Promise<ImportPreview | null> => {
      const chosen = file as File;
      const start = new Uint8Array(await chosen.slice(0, 4).arrayBuffer());
      const zip = start[0] === 0x50 && start[1] === 0x4b && start[2] === 0x03 && start[3] === 0x04;
      if (zip && chosen.size > maxBytes) return null;
      const form = new FormData();
      form.append('truncated', String(!zip && chosen.size > PREVIEW_BYTES));
      // Before the file: the server reads the workbook once the fields are in.
      if (zip && sheet !== undefined) form.append('sheet', sheet);
      form.append('file', zip ? chosen : chosen.slice(0, PREVIEW_BYTES), chosen.name);
      return send<ImportPreview>('/api/imports/preview', form);
    },
  });
}
