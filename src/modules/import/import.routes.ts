import fastifyMultipart from '@fastify/multipart';
import { z } from 'zod';
import type { App, AppDeps } from '../../http/types.ts';
import { canRead, canWriteRecords } from '../auth/access.ts';
import { loadPipeline } from '../opportunities/opportunities.pipeline.ts';
import { deleteSavedMapping, savedAsPresets, savedMappings } from './import.mappings.store.ts';
import { presetLabel, presetNames } from './import.presets.ts';
import { previewFile, ROWS_KEPT } from './import.preview.ts';
import {
  importPreviewSchema,
  importRunParams,
  importRunSchema,
  importRunsQuery,
  importRunsSchema,
  savedMappingParams,
} from './import.schema.ts';
import { createImportQueue, MAPPING_MAX_BYTES, receiveHead, receiveUpload } from './import.uploads.ts';

const tags = ['import'];

export async function importRoutes(app: App, deps: AppDeps): Promise<void> {
  const maxBytes = deps.config.importMaxBytes;
  await app.register(fastifyMultipart, {
    // The file, and a mapping sent as a file part (`-F mapping=@my-mapping.json`), read up to 1 MB.
    limits: { fileSize: maxBytes, files: 2, fields: 4, fieldSize: MAPPING_MAX_BYTES },
  });
  const pipeline = loadPipeline();
  const imports = createImportQueue({ ...deps, pipeline, log: app.log });
  app.addHook('onClose', () => imports.stop());

  app.post(
    '/api/imports',
    {
      config: { access: canWriteRecords },
      schema: {
        tags,
        summary:
          'Import a CSV export or a sheet of an XLSX workbook (multipart/form-data: a "file" part, and a "preset" (a shipped one, or a saved ' +
          '"saved:<name>") or a "mapping" as JSON (a field, or a file part of up to 1 MB), with "saveAs" to keep it under a name; ' +
          'with neither, the preset whose columns the file fits; for a workbook, "sheet" names the tab to read, by default the first). ' +
          'The file is checked first, then imported ' +
          'in the background: follow it with GET /api/imports/{id}',
        consumes: ['multipart/form-data'],
        response: { 202: importRunSchema },
      },
    },
    async (request, reply) => {
      const upload = await receiveUpload(request.parts(), maxBytes);
      return reply.status(202).send(await imports.start(upload, request.principal!.userId));
    },
  );

  app.post(
    '/api/imports/preview',
    {
      config: { access: canWriteRecords },
      schema: {
        tags,
        summary:
          'Look at the start of a CSV file before importing it (multipart/form-data: a "file" part of up to 1 MB, ' +
          'and "truncated": "true" when it is the start of a longer file; an XLSX workbook is sent whole, with "sheet" ' +
          'to read a tab other than the first): ' +
          'its columns, first rows, the preset ' +
          'they fit, and a mapping to start from',
        consumes: ['multipart/form-data'],
        response: { 200: importPreviewSchema },
      },
    },
    async (request) => {
      const saved = savedAsPresets(await savedMappings(deps.database));
      const { head, fields } = await receiveHead(request.parts(), { maxBytes, rows: ROWS_KEPT + 1, saved });
      return previewFile(head, fields.truncated === 'true', { lifecycle: deps.lifecycle, pipeline, saved });
    },
  );

  app.get(
    '/api/imports',
    {
      config: { access: canRead },
      schema: {
        tags,
        summary: 'The latest imports, from the web app and the command line, newest first',
        querystring: importRunsQuery,
        response: { 200: importRunsSchema },
      },
    },
    async (request) => ({
      runs: await imports.latest(request.query.limit),
      presets: [...presetNames(), ...(await savedMappings(deps.database)).map((saved) => saved.key)].map(
        (name) => ({ name, label: presetLabel(name) }),
      ),
      maxUploadBytes: maxBytes,
    }),
  );

  app.delete(
    '/api/imports/mappings/:name',
    {
      config: { access: canWriteRecords },
      schema: {
        tags,
        summary:
          'Delete a mapping saved from the Import page ("saveAs"): it is no longer offered nor recognised; ' +
          'the imports made with it stay as they are',
        params: savedMappingParams,
        response: { 204: z.null() },
      },
    },
    async (request, reply) => {
      await deleteSavedMapping(deps.database, request.params.name);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/api/imports/:id',
    {
      config: { access: canRead },
      schema: {
        tags,
        summary: 'One import: its progress while it runs, then its report with every problem and its line',
        params: importRunParams,
        response: { 200: importRunSchema },
      },
    },
    async (request) => imports.get(request.params.id),
  );
}
