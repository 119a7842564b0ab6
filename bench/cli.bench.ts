// A `lockstep` command on the embedded database as bin/lockstep.js runs it (a child with the V8 flags
// that suit the command) against the same command on V8's defaults, which the launcher replaced
// (writes BENCHMARKS.md): the time a person waits at the terminal, and the memory it takes.
//
//   npm exec -- node bench/cli.bench.ts [--rows 100000] [--rounds 5]
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { median, runCli, runLockstepMeasured } from './bench-support.ts';
import { writeBenchmarkSection } from './benchmarks-file.ts';
import { writeLeadsCsv } from './import.data.ts';

const { values: args } = parseArgs({
  options: { rows: { type: 'string', default: '100000' }, rounds: { type: 'string', default: '5' } },
});
const rows = Number(args.rows);
const rounds = Number(args.rounds);
const log = (line: string) => process.stdout.write(`${line}\n`);
const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

/** V8's own tiering budget, given explicitly: the same as no flag, and it keeps the launcher out. */
function defaultTieringBudget(): string {
  const options = spawnSync(process.execPath, ['--v8-options'], { encoding: 'utf8' }).stdout;
  const budget = /default: --wasm-tiering-budget=(\d+)/.exec(options)?.[1];
  if (!budget) throw new Error("this Node's V8 has no --wasm-tiering-budget");
  return `--wasm-tiering-budget=${budget}`;
}

/** One command on the data in `dataDir`. */
const run = (nodeArgs: string[], command: string[], dataDir: string) =>
  runLockstepMeasured(command, { LOCKSTEP_DATA_DIR: dataDir, DATABASE_URL: '' }, nodeArgs);
type Run = Awaited<ReturnType<typeof run>>;

if (!fs.existsSync('/usr/bin/time'))
  throw new Error('this benchmark measures memory with /usr/bin/time (Debian: apt-get install time)');
const defaults = [defaultTieringBudget()];
const commands = [
  ['funnel', '--by', 'source', '--json'],
  ['report', 'velocity', '--json'],
  ['bottlenecks', '--json'],
  ['report', 'pipeline', '--json'],
];
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lockstep-bench-cli-'));
try {
  const csv = path.join(dir, 'leads.csv');
  await writeLeadsCsv(csv, rows);
  const launched = path.join(dir, 'launched');
  const imported = await runCli(csv, { LOCKSTEP_DATA_DIR: launched, DATABASE_URL: '' });
  if (imported.report.created !== rows)
    throw new Error(`expected ${rows} people, got ${imported.report.created}`);
  log(`imported ${fmt(rows)} people in ${imported.seconds.toFixed(1)} s`);
  const onDefaults = path.join(dir, 'defaults');
  fs.cpSync(launched, onDefaults, { recursive: true });

  // The first report after the import counts every lead: the long command the budget still optimises.
  const firstCount = {
    launched: await run([], commands[0]!, launched),
    defaults: await run(defaults, commands[0]!, onDefaults),
  };
  log(
    `first count: launcher ${firstCount.launched.seconds.toFixed(1)} s, V8 defaults ${firstCount.defaults.seconds.toFixed(1)} s`,
  );

  const measured = commands.map(() => ({ launched: [] as Run[], defaults: [] as Run[] }));
  for (let round = 0; round < rounds; round++) {
    // Alternated, so that both see the machine in the same state.
    for (const [i, command] of commands.entries()) {
      measured[i]!.launched.push(await run([], command, launched));
      measured[i]!.defaults.push(await run(defaults, command, onDefaults));
    }
    log(`round ${round + 1} of ${rounds}`);
  }

  const line = (label: string, ours: Run[], base: Run[]) => {
    const time = (runs: Run[]) => median(runs.map((r) => r.seconds));
    const rss = (runs: Run[]) => median(runs.map((r) => r.peakRssMb));
    return `| ${label} | ${time(base).toFixed(2)} s | ${time(ours).toFixed(2)} s | **${(time(ours) / time(base)).toFixed(2)}** | ${fmt(rss(base))} MB | ${fmt(rss(ours))} MB |`;
  };
  writeBenchmarkSection(
    'cli-bench',
    [
      '## A command on the embedded database: the launcher against V8’s defaults',
      '',
      `Measured ${new Date().toISOString().slice(0, 10)} on ${os.availableParallelism()} CPUs (${os.cpus()[0]?.model.trim()}), ${(os.totalmem() / 1024 ** 3).toFixed(0)} GB, Node ${process.version}.`,
      `Command: \`npm exec -- node bench/cli.bench.ts --rows ${rows} --rounds ${rounds}\`. The import benchmark's generated leads (bench/import.data.ts), ${fmt(rows)} people imported by the CLI into an embedded database, copied once. Each command runs as a person runs it (\`node bin/lockstep.js …\`, start-up and exit included), which starts the command again with a long WebAssembly tiering budget (bin/lockstep.js); the baseline runs it on the copy with V8's own budget given explicitly (\`${defaults[0]}\`), as every command ran before. Alternated, ${rounds} rounds; medians. Peak RSS by \`/usr/bin/time -f %M\` (the launcher waits for its child, so the child's peak is counted).`,
      '',
      '| command | V8 defaults | launcher | ratio | peak RSS, defaults | peak RSS, launcher |',
      '|---|---|---|---|---|---|',
      ...commands.map((command, i) =>
        line(`\`${command.join(' ')}\``, measured[i]!.launched, measured[i]!.defaults),
      ),
      line(
        'first count after the import (`funnel --by source`, once)',
        [firstCount.launched],
        [firstCount.defaults],
      ),
      '',
      'On V8’s defaults the process cannot exit until V8 has finished compiling PGlite’s hottest WebAssembly function with its optimising compiler, started a moment before; with the long budget a short command never starts that compile, and a long count (the first after an import) still gets it, a little later.',
    ].join('\n'),
  );
  log('BENCHMARKS.md updated');
} finally {
  fs.rmSync(dir, { recursive: true, force: true });
}
