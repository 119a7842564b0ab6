// The export benchmark: the real `lockstep export people` command against PostgreSQL's own
// `COPY (the same rows) TO STDOUT` into a file, on the same database in the same run.
//   npm exec -- node bench/export.bench.ts [--people 1000000] [--rounds 3]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { median, runLockstepMeasured, withPostgresDatabase } from './bench-support.ts';
import { writeBenchmarkSection } from './benchmarks-file.ts';

const { values: args } = parseArgs({
  options: { people: { type: 'string', default: '1000000' }, rounds: { type: 'string', default: '3' } },
});
const people = Number(args.people);
const rounds = Number(args.rounds);
const adminUrl = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const log = (line: string) => process.stdout.write(`${line}\n`);
const fmt = (n: number) => n.toLocaleString('en-US');

/** What the export writes, as PostgreSQL writes it itself: the same rows, joins and order. */
const baselineQuery = `
  SELECT p.id, p.external_id, p.email, p.first_name, p.last_name, p.title, p.phone, p.country, a.name, a.domain,
         p.source, c.name, p.landing_page, u.name, u.email, p.stage, p.stage_entered_at, p.created_at, s.grade,
         s.fit_points, s.engagement_points, s.is_mql, p.attributes
  FROM people p LEFT JOIN accounts a ON a.id = p.account_id LEFT JOIN campaigns c ON c.id = p.campaign_id
  LEFT JOIN users u ON u.id = p.owner_id LEFT JOIN lead_scores s ON s.person_id = p.id
  ORDER BY p.created_at, p.id`;

async function generate(client: pg.Client): Promise<void> {
  await client.query(`
    INSERT INTO accounts (name, domain, industry, employees, attributes)
    SELECT 'Account ' || i, 'account' || i || '.example', (ARRAY['Software', 'Fintech', 'Retail'])[1 + i % 3],
           (i * 37) % 10000, jsonb_build_object('tier', (ARRAY['gold', 'silver'])[1 + i % 2])
    FROM generate_series(1, 20000) i`);
  await client.query(`
    INSERT INTO people (external_id, email, first_name, last_name, title, source, account_id, stage,
                        stage_entered_at, created_at, attributes)
    SELECT 'crm:' || i, 'lead' || i || '@account' || (1 + i % 20000) || '.example', 'First' || i, 'Last' || i,
           (ARRAY['Head of Sales', 'Engineer', 'CFO'])[1 + i % 3],
           (ARRAY['paid_search', 'organic_search', 'webinar'])[1 + i % 3], a.id, 'new',
           now() - (i % 300) * interval '1 day', now() - (i % 300) * interval '1 day',
           jsonb_build_object('leadScore', i % 100, 'region', (ARRAY['EMEA', 'AMER', 'APAC'])[1 + i % 3])
    FROM generate_series(1, ${people}) i JOIN accounts a ON a.domain = 'account' || (1 + i % 20000) || '.example'`);
  await client.query('VACUUM ANALYZE');
}

async function baseline(client: pg.Client, file: string): Promise<number> {
  const start = performance.now();
  await pipeline(
    client.query(copyTo(`COPY (${baselineQuery}) TO STDOUT (FORMAT csv, HEADER)`)),
    fs.createWriteStream(file),
  );
  return (performance.now() - start) / 1000;
}

const countLines = (file: string) => fs.readFileSync(file, 'utf8').split('\n').length - 1;

const workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lockstep-bench-export-'));
try {
  await withPostgresDatabase(adminUrl, async (url) => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await generate(client);
    log(`generated ${fmt(people)} people over 20,000 accounts`);
    const ours = path.join(workDir, 'people.csv');
    const theirs = path.join(workDir, 'copy.csv');
    const measured: { copy: number; export: number; rss: number }[] = [];
    for (let round = 1; round <= rounds; round++) {
      const copy = await baseline(client, theirs);
      const cli = await runLockstepMeasured(['export', 'people', '--out', ours], { DATABASE_URL: url });
      measured.push({ copy, export: cli.seconds, rss: cli.peakRssMb });
      log(`round ${round}: COPY ${copy.toFixed(2)} s, lockstep export ${cli.seconds.toFixed(2)} s`);
    }
    const { rows: version } = await client.query<{ server_version: string }>('SHOW server_version');
    await client.end();
    const lines = countLines(ours);
    if (lines !== people + 1) throw new Error(`the export wrote ${lines} lines, not ${people + 1}`);
    const copySeconds = median(measured.map((m) => m.copy));
    const exportSeconds = median(measured.map((m) => m.export));
    const ratios = measured.map((m) => m.copy / m.export);
    const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
    writeBenchmarkSection(
      'export-bench',
      [
        "## Export: `lockstep export people` against PostgreSQL's own COPY",
        '',
        `Measured ${new Date().toISOString().slice(0, 10)} on ${os.availableParallelism()} CPUs (${cpu}), Node ${process.version}, PostgreSQL ${version[0]?.server_version} (default settings).`,
        `Command: \`npm exec -- node bench/export.bench.ts${process.argv.length > 2 ? ` ${process.argv.slice(2).join(' ')}` : ''}\``,
        '',
        `${fmt(people)} people over 20,000 accounts, two custom fields each, made by PostgreSQL in the run. **COPY** is`,
        '`COPY (the same rows, joins and order) TO STDOUT (FORMAT csv)` into a file: the ceiling. **Export** is the real',
        'CLI as a child process (start-up and the count for its progress bar included): batches of 2,000 people read in',
        'key order, each written as spreadsheet-safe CSV with one column per custom field. Ratio = COPY time ÷ export',
        `time (rows per second, ours against PostgreSQL's), the median of ${rounds} alternated rounds.`,
        '',
        '| rows | COPY | lockstep export | ratio (rounds) | peak RSS of the export |',
        '|---|---|---|---|---|',
        `| ${fmt(people)} | ${copySeconds.toFixed(1)} s | ${exportSeconds.toFixed(1)} s | **${median(ratios).toFixed(2)}** (${ratios.map((r) => r.toFixed(2)).join(', ')}) | ${measured.map((m) => `${m.rss} MB`).join(' / ')} |`,
      ].join('\n'),
    );
    log('BENCHMARKS.md updated');
  });
} finally {
  fs.rmSync(workDir, { recursive: true, force: true });
}
