import { type Command, Option } from 'commander';
import { type FunnelReport, funnelDimensions, funnelQuery } from '../modules/reports/funnel.schema.ts';
import { funnelReport } from '../modules/reports/funnel.service.ts';
import { CliError, reportDeps, withDatabase } from './database.ts';
import { percent } from './format.ts';
import { textTable } from './table.ts';

/** The funnel as a terminal table: a row per group under the total, then the biggest leak. */
export function funnelTable(report: Pick<FunnelReport, 'stages' | 'total' | 'rows' | 'biggestLeak'>): string {
  const header = ['group', ...report.stages.map((s) => s.label), `${report.stages.at(-1)?.label ?? ''} rate`];
  const rows = [report.total, ...report.rows].map((row, i) => [
    i === 0 ? 'TOTAL' : (row.group ?? '(not set)'),
    ...row.counts.map((n) => n.toLocaleString('en-US')),
    // Won of MQLs; none without MQLs.
    percent(row.counts[1] ? (row.counts.at(-1) ?? 0) / row.counts[1] : null),
  ]);
  const table = `${textTable(header, rows)}\n`;
  if (!report.biggestLeak) return table;
  const { fromLabel, toLabel, conversion, lost } = report.biggestLeak;
  return `${table}\nBiggest leak: ${fromLabel} → ${toLabel}, ${percent(conversion)} move on (${lost.toLocaleString('en-US')} did not: lost or still open).\n`;
}

export function registerFunnelCommand(program: Command): void {
  program
    .command('funnel')
    .description(
      'people that reached each stage, and conversion, optionally per group (same as GET /api/reports/funnel)',
    )
    .addOption(new Option('--by <field>', 'break down by').choices(funnelDimensions).default('none'))
    .option('--from <date>', 'only people who entered on or after this date (ISO 8601)')
    .option('--to <date>', 'only people who entered before this date (ISO 8601)')
    .option('--limit <n>', 'most groups shown', '100')
    .option('--json', 'print the report as JSON')
    .action(async (options: { by: string; from?: string; to?: string; limit: string; json?: boolean }) => {
      const toIso = (date?: string) =>
        date && /^\d{4}-\d{2}-\d{2}$/.test(date) ? `${date}T00:00:00Z` : date;
      const parsed = funnelQuery.safeParse({
        by: options.by,
        from: toIso(options.from),
        to: toIso(options.to),
        limit: options.limit,
      });
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new CliError(`--${String(issue?.path[0])}: ${issue?.message}`);
      }
      const report = await withDatabase('cli: funnel', (database) =>
        funnelReport(reportDeps(database), parsed.data),
      );
      if (options.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
      else process.stdout.write(funnelTable(report));
    });
}
