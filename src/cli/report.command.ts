import type { Command } from 'commander';
import type { FunnelReport } from '../modules/reports/funnel.schema.ts';
import { namedPeriods } from '../modules/reports/reports.filters.ts';
import { type ReportRow, reportNames, type TableReport } from '../modules/reports/reports.schema.ts';
import { recordsCsv, reportRecords, runReport } from '../modules/reports/reports.service.ts';
import { reportDeps, withDatabase } from './database.ts';
import { textTable } from './table.ts';

interface ReportOptions {
  period?: string;
  from?: string;
  to?: string;
  segment?: string;
  source?: string;
  campaign?: string;
  team?: string;
  rep?: string;
  by?: string;
  limit?: string;
  json?: boolean;
  records?: string;
  csv?: boolean;
}

const toIso = (date?: string) => (date && /^\d{4}-\d{2}-\d{2}$/.test(date) ? `${date}T00:00:00Z` : date);

function formatValue(value: number | null | undefined, unit: string): string {
  if (value === null || value === undefined) return '–';
  if (unit === 'rate') return `${(value * 100).toFixed(1)}%`;
  if (unit === 'days') return value.toFixed(1);
  if (unit === 'money') return value.toLocaleString('en-US', { maximumFractionDigits: 2 });
  return value.toLocaleString('en-US');
}

function printTable(report: TableReport): void {
  const header = ['', ...report.columns.map((c) => c.label)];
  const line = (row: ReportRow) => [
    row.label,
    ...report.columns.map((c) => formatValue(row.values[c.key], c.unit)),
  ];
  const rows = [...report.rows.map(line), ...(report.total ? [line(report.total)] : [])];
  process.stdout.write(`${report.title}: ${report.description}\n\n`);
  process.stdout.write(`${textTable(header, rows)}\n`);
  if (report.groupsOmitted > 0)
    process.stdout.write(`(${report.groupsOmitted} more groups; raise --limit)\n`);
  process.stdout.write(`\n${report.notes.map((n) => `· ${n}`).join('\n')}\n`);
}

function printFunnel(report: FunnelReport): void {
  const rows = [report.total, ...report.rows];
  for (const [i, row] of rows.entries()) {
    const label = i === 0 ? 'TOTAL' : (row.group ?? '(not set)');
    const counts = report.stages.map((s, k) => `${s.label} ${(row.counts[k] ?? 0).toLocaleString('en-US')}`);
    process.stdout.write(`${label}: ${counts.join(' · ')}\n`);
  }
}

export function registerReportCommand(program: Command): void {
  program
    .command('report')
    .argument('<name>', reportNames.join(' | '))
    .description('a shared report, the same as GET /api/reports/<name> (see docs in the API for each)')
    .option('--period <period>', `a named period: ${namedPeriods.join(', ')}`)
    .option('--from <date>', 'start of the period (ISO 8601; inclusive)')
    .option('--to <date>', 'end of the period (ISO 8601; exclusive)')
    .option('--segment <segment>', "account industry, else the lead's business_segment")
    .option('--source <source>', 'lead source')
    .option('--campaign <id>', 'campaign id')
    .option('--team <team>', "owner's team: marketing or sales")
    .option('--rep <id>', 'owner (user id)')
    .option('--by <field>', 'breakdown (report-specific; the error lists the allowed ones)')
    .option('--limit <n>', 'most groups shown')
    .option('--records <cell>', 'list the records behind one number (a cell from --json output)')
    .option('--csv', 'with --records: print them as CSV')
    .option('--json', 'print the report as JSON')
    .action(async (name: string, options: ReportOptions) => {
      const query: Record<string, string> = {};
      for (const key of [
        'period',
        'from',
        'to',
        'segment',
        'source',
        'campaign',
        'team',
        'rep',
        'by',
        'limit',
      ] as const) {
        const value = key === 'from' || key === 'to' ? toIso(options[key]) : options[key];
        if (value !== undefined) query[key] = value;
      }
      await withDatabase(`cli: report ${name}`, async (database) => {
        const deps = reportDeps(database);
        if (options.records) {
          const records = await reportRecords(deps, name, { cell: options.records, limit: 100_000 });
          process.stdout.write(options.csv ? recordsCsv(records) : `${JSON.stringify(records, null, 2)}\n`);
          return;
        }
        const report = await runReport(deps, name, query);
        if (options.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
        else if ('columns' in report) printTable(report);
        else printFunnel(report);
      });
    });
}
