// Mappings shipped with Lockstep for common CRM exports (presets/*.json, documented in docs/import-mapping.md).
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { AppError } from '../../shared/errors.ts';
import { type ImportMapping, loadMappingFile } from './import.mapping.ts';

const presetDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'presets');

export function presetNames(): string[] {
  return fs
    .readdirSync(presetDir)
    .filter((name) => name.endsWith('.json'))
    .map((name) => name.slice(0, -'.json'.length))
    .sort();
}

export function loadPreset(name: string): ImportMapping {
  const names = presetNames();
  if (!names.includes(name)) {
    throw new AppError('validation_failed', `There is no preset "${name}". Presets: ${names.join(', ')}.`, {
      preset: name,
      presets: names,
    });
  }
  return loadMappingFile(path.join(presetDir, `${name}.json`));
}
