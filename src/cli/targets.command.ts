import { type Command, Option } from 'commander';
import type { Db } from '../db/client.ts';
import type { Principal } from '../modules/auth/access.ts';
import { publicUser } from '../modules/auth/auth.service.ts';
import { findUserByEmail } from '../modules/auth/auth.store.ts';
import { bottleneckPeriods, bottleneckQuery } from '../modules/bottlenecks/bottlenecks.schema.ts';
import { bottleneckReport } from '../modules/bottlenecks/bottlenecks.service.ts';
import { createTargetBody, scenarioQuery, type TargetView } from '../modules/targets/targets.schema.ts';
import { confirmTarget, createTarget, currentTarget, getTarget } from '../modules/targets/targets.service.ts';
import { CliError, reportDeps, withDatabase } from './database.ts';
import { percent } from './format.ts';

const count = (n: number | null) => (n === null ? '—' : n.toLocaleString('en-US'));

/** The person a confirmation is recorded for: a user of Lockstep, found by email. */
async function actorByEmail(db: Db, email: string): Promise<Principal> {
  const user = await findUserByEmail(db, email.toLowerCase());
  if (!user) throw new CliError(`No Lockstep user has the email ${email}.`);
  const { id, name, team, role } = publicUser(user);
  return { kind: 'user', userId: id, name, team, role };
}

function parseIssues(error: { issues: { path: PropertyKey[]; message: string }[] }): never {
  const issue = error.issues[0];
  throw new CliError(`${String(issue?.path[0] ?? 'input')}: ${issue?.message}`);
}

function printTarget(target: TargetView): void {
  const money = (n: number) =>
    new Intl.NumberFormat('en-US', {
      style: 'currency',
      currency: target.currency,
      maximumFractionDigits: 0,
    }).format(n);
  const lines = [
    `${target.period.name} (${target.period.start} … ${target.period.end}): ${money(target.amount)} — ${target.status}` +
      (target.missingConfirmations.length > 0
        ? ` (waiting for ${target.missingConfirmations.join(' and ')})`
        : ''),
    `Measured over ${target.lookbackDays} days before the period; average deal ${target.plan.dealSize === null ? '—' : money(target.plan.dealSize)}.`,
    '',
    'stage          needed   conversion   reach between            so far   expected   status',
  ];
  target.plan.stages.forEach((stage, i) => {
    const pace = target.pacing?.stages[i];
    lines.push(
      [
        stage.label.padEnd(12),
        count(stage.needed).padStart(8),
        percent(stage.rateIn).padStart(12),
        `   ${stage.arriveFrom} … ${stage.arriveBy}`,
        count(target.arrivals[i] ?? 0).padStart(8),
        (pace ? count(pace.expectedByNow) : '—').padStart(10),
        `   ${pace ? `${pace.status}${pace.shortfall > 0 ? ` (${count(pace.shortfall)} short)` : ''}` : 'draft: no pacing'}`,
      ].join(''),
    );
  });
  const f = target.forecast;
  lines.push(
    '',
    `Forecast ${money(f.total)}: won ${money(f.wonToDate)} + pipeline ${money(f.weightedPipeline)} (weighted) + new business ${money(f.newBusinessRunRate)} at today's pace.`,
  );
  process.stdout.write(`${lines.join('\n')}\n`);
}

const collect = (value: string, previous: string[]) => [...previous, value];

export function registerTargetCommands(program: Command): void {
  const target = program
    .command('target')
    .description('the shared revenue target: reverse funnel, pacing, forecast');

  target
    .command('create <period>')
    .description(
      'set the revenue target of a quarter (2026-Q4) or a month (2026-11); a draft until both teams confirm',
    )
    .requiredOption('--amount <amount>', 'revenue to win in the period')
    .option('--currency <code>', 'three-letter currency code', 'USD')
    .option(
      '--lookback-days <days>',
      'measure conversion, deal size and stage times over this many days',
      '180',
    )
    .option('--as <email>', 'the admin setting it')
    .option('--json', 'print the target as JSON')
    .action(
      async (
        period: string,
        options: { amount: string; currency: string; lookbackDays: string; as?: string; json?: boolean },
      ) => {
        const parsed = createTargetBody.safeParse({
          period,
          amount: Number(options.amount),
          currency: options.currency,
          lookbackDays: Number(options.lookbackDays),
        });
        if (!parsed.success) parseIssues(parsed.error);
        const created = await withDatabase('cli: target create', async (database) => {
          const actor: Principal = options.as
            ? await actorByEmail(database.db, options.as)
            : { kind: 'user', userId: null, name: 'cli', team: 'sales', role: 'admin' };
          return createTarget(reportDeps(database), parsed.data, actor);
        });
        if (options.json) process.stdout.write(`${JSON.stringify(created, null, 2)}\n`);
        else printTarget(created);
      },
    );

  target
    .command('confirm <period>')
    .description('confirm the target for your team (a marketing and a sales confirmation make it count)')
    .requiredOption('--as <email>', 'the person confirming; their team is the one that confirms')
    .option('--json', 'print the target as JSON')
    .action(async (period: string, options: { as: string; json?: boolean }) => {
      const confirmed = await withDatabase('cli: target confirm', async (database) => {
        const actor = await actorByEmail(database.db, options.as);
        if (actor.role === 'viewer')
          throw new CliError(`${actor.name} is a viewer and cannot confirm a target.`);
        return confirmTarget(reportDeps(database), period, actor);
      });
      if (options.json) process.stdout.write(`${JSON.stringify(confirmed, null, 2)}\n`);
      else printTarget(confirmed);
    });

  target
    .command('show [period]')
    .description("a target's reverse funnel, pacing and forecast (default: the one holding today)")
    .option(
      '--scenario <key=value>',
      'override a measured number, e.g. mqlToSal=0.15 or dealSize=30000',
      collect,
      [],
    )
    .option('--json', 'print the target as JSON')
    .action(async (period: string | undefined, options: { scenario: string[]; json?: boolean }) => {
      const pairs = options.scenario.map((pair) => {
        const [key, value] = pair.split('=');
        if (!key || value === undefined) throw new CliError(`--scenario ${pair}: write it as key=value`);
        return [key, value];
      });
      const query = scenarioQuery.safeParse(Object.fromEntries(pairs));
      if (!query.success) parseIssues(query.error);
      const shown = await withDatabase('cli: target show', (database) =>
        period ? getTarget(reportDeps(database), period, query.data) : currentTarget(reportDeps(database)),
      );
      if (!shown)
        throw new CliError(
          'No target holds today. Create one: npx lockstep target create 2026-Q4 --amount 500000',
        );
      if (options.json) process.stdout.write(`${JSON.stringify(shown, null, 2)}\n`);
      else printTarget(shown);
    });

  program
    .command('bottlenecks')
    .description(
      'where the funnel leaks most, stuck leads and deals, and the revenue trapped (same as GET /api/bottlenecks)',
    )
    .addOption(
      new Option('--period <period>', 'compared with the look-back before it')
        .choices(bottleneckPeriods)
        .default('this-month'),
    )
    .option('--lookback-days <days>', 'days before the period that count as normal', '180')
    .option('--json', 'print the report as JSON')
    .action(async (options: { period: string; lookbackDays: string; json?: boolean }) => {
      const query = bottleneckQuery.safeParse({ period: options.period, lookbackDays: options.lookbackDays });
      if (!query.success) parseIssues(query.error);
      const report = await withDatabase('cli: bottlenecks', (database) =>
        bottleneckReport(reportDeps(database), query.data),
      );
      if (options.json) {
        process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
        return;
      }
      const lines = [report.headline, ''];
      for (const step of report.steps) {
        lines.push(
          `${`${step.fromLabel} → ${step.toLabel}`.padEnd(26)} ${percent(step.current.rate).padStart(7)} of ${String(step.current.decided).padStart(5)}` +
            `   normally ${percent(step.baseline.rate).padStart(7)}   p ${step.p === null ? '—' : step.p.toFixed(3)}${step.flagged ? '   ← lower than normal' : ''}`,
        );
      }
      lines.push('', 'Stuck past the usual time:');
      for (const group of report.stuck.filter((g) => g.stuck > 0)) {
        lines.push(
          `  ${group.kind} ${group.label.padEnd(14)} ${String(group.stuck).padStart(6)} past ${Math.round(group.normalDays ?? 0)} days, ` +
            `about ${Math.round(group.trapped).toLocaleString('en-US')} ${report.currency} trapped`,
        );
      }
      process.stdout.write(`${lines.join('\n')}\n`);
    });
}
