// The resolution hooks answer as Node does: every import of the app's and the CLI's modules resolves
// to the same file, as the same kind of module, with them and without them.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const src = path.resolve(import.meta.dirname, '..');
const hooks = path.join(src, 'shared/module-resolution.ts');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lockstep-resolution-'));
// Registered after the hooks under test, so it sees what they answer.
const recorder = path.join(dir, 'record.mjs');
fs.writeFileSync(
  recorder,
  `import { registerHooks } from 'node:module';
const seen = {};
registerHooks({
  resolve(specifier, context, nextResolve) {
    const resolved = nextResolve(specifier, context);
    seen[specifier + ' from ' + (context.parentURL ?? '')] = [resolved.url, resolved.format ?? null];
    return resolved;
  },
});
for (const module of process.argv.slice(2)) await import(module);
process.stdout.write(JSON.stringify(seen));
`,
);
const modules = [
  'app.ts',
  ...fs
    .readdirSync(path.join(src, 'cli'))
    .filter((file) => file.endsWith('.command.ts'))
    .map((file) => `cli/${file}`),
].map((file) => pathToFileURL(path.join(src, file)).href);

const resolutions = (withHooks: boolean): Record<string, [string, string | null]> =>
  JSON.parse(
    execFileSync(process.execPath, [...(withHooks ? ['--import', hooks] : []), recorder, ...modules], {
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    }),
  );

afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('the module resolution hooks', () => {
  it('resolve every import of the app and the CLI as Node does', () => {
    const node = resolutions(false);
    const hooked = resolutions(true);
    expect(Object.keys(hooked).sort()).toEqual(Object.keys(node).sort());
    // drizzle-orm's own modules, and packages imported from Lockstep's code, are among them.
    expect(
      Object.keys(node).filter((key) => key.includes('/node_modules/drizzle-orm/')).length,
    ).toBeGreaterThan(50);
    expect(
      Object.keys(node).filter((key) => key.startsWith('drizzle-orm from file:')).length,
    ).toBeGreaterThan(20);
    for (const [key, [url, format]] of Object.entries(node)) {
      expect({ key, url: hooked[key]![0] }).toEqual({ key, url });
      if (format !== null) expect({ key, format: hooked[key]![1] }).toEqual({ key, format });
    }
  }, 60_000);
});
