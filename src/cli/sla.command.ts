import { type Command, Option } from 'commander';
import { slaReport } from '../modules/sla/sla.report.ts';
import { promisePeriods, type SlaReport, slaReportQuery } from '../modules/sla/sla.schema.ts';
import { systemClock } from '../shared/clock.ts';
import { CliError, withDatabase } from './database.ts';
import { percent } from './format.ts';
import { textTable } from './table.ts';

const minutes = (value: number | null) => (value === null ? '—' : `${Math.round(value)} min`);

function printReport(report: SlaReport): void {
  const header = ['', 'MQLs', 'accept SLA', 'late', 'touch SLA', 'late', 'median', 'p90', 'never touched'];
  const rows = [report.sales.total, ...report.sales.rows].map((row, i) => [
    i === 0 ? 'TOTAL' : row.label,
    String(row.mqls),
    percent(row.acceptCompliance),
    String(row.acceptBreached),
    percent(row.touchCompliance),
    String(row.touchBreached),
    minutes(row.medianResponseMinutes),
    minutes(row.p90ResponseMinutes),
    String(row.neverTouched),
  ]);
  process.stdout.write(
    `Sales SLA, MQLs assigned ${report.from.toISOString()} – ${report.to.toISOString()}\n` +
      `${textTable(header, rows)}\n\nMarketing's promise per ${report.marketing.period}` +
      `${report.marketing.promise ? `: ${report.marketing.promise.mqlVolume} MQLs at ≥ ${percent(report.marketing.promise.minMqlToSqlRate)} MQL→SQL` : ': none set'}\n`,
  );
  for (const row of report.marketing.rows) {
    process.stdout.write(
      `  ${row.periodStart}  ${String(row.mqls).padStart(6)} MQLs${row.volumeMet === false ? ' (short)' : ''}  ` +
        `${percent(row.mqlToSqlRate)} → SQL${row.rateMet === false ? ' (below promise)' : ''}\n`,
    );
  }
}

export function registerSlaCommands(program: Command): void {
  const sla = program.command('sla').description('the two-way SLA between marketing and sales');
  sla
    .command('report')
    .description('SLA compliance for both teams (same numbers as GET /api/sla/report)')
    .addOption(new Option('--by <group>', 'rows per').choices(['rep', 'team', 'period']).default('rep'))
    .addOption(new Option('--period <length>', 'period length').choices([...promisePeriods]).default('month'))
    .option('--from <date>', 'MQLs assigned on or after (ISO 8601; default 90 days ago)')
    .option('--to <date>', 'MQLs assigned before (ISO 8601; default now)')
    .option('--json', 'print the report as JSON')
    .action(async (options: { by: string; period: string; from?: string; to?: string; json?: boolean }) => {
      const toIso = (date?: string) =>
        date && /^\d{4}-\d{2}-\d{2}$/.test(date) ? `${date}T00:00:00Z` : date;
      const parsed = slaReportQuery.safeParse({
        by: options.by,
        period: options.period,
        from: toIso(options.from),
        to: toIso(options.to),
      });
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new CliError(`--${String(issue?.path[0])}: ${issue?.message}`);
      }
      const report = await withDatabase('cli: sla report', (database) =>
        slaReport({ db: database.db, clock: systemClock }, parsed.data),
      );
      if (options.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
      else printReport(report);
    });
}
