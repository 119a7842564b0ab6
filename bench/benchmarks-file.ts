// BENCHMARKS.md holds one section per benchmark, each between markers that its benchmark rewrites.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');

export function writeBenchmarkSection(name: string, body: string): void {
  const file = path.join(root, 'BENCHMARKS.md');
  const section = `<!-- ${name}:start -->\n${body}\n<!-- ${name}:end -->`;
  const existing = fs.existsSync(file)
    ? fs.readFileSync(file, 'utf8')
    : '# Benchmarks\n\nEach benchmark in bench/ rewrites its own section below.\n';
  const pattern = new RegExp(`<!-- ${name}:start -->[\\s\\S]*<!-- ${name}:end -->`);
  fs.writeFileSync(
    file,
    pattern.test(existing) ? existing.replace(pattern, section) : `${existing.trimEnd()}\n\n${section}\n`,
  );
  // The repository's formatter pads markdown tables; let it, so that `npm run lint` stays clean.
  const biome = path.join(root, 'node_modules/.bin/biome');
  if (fs.existsSync(biome)) spawnSync(biome, ['format', '--write', file], { stdio: 'ignore' });
}
