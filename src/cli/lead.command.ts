import type { Command } from 'commander';
import { loadLifecycle } from '../modules/lifecycle/lifecycle.config.ts';
import { findPersonIdByEmail } from '../modules/people/people.service.ts';
import { explainLeadScore } from '../modules/scoring/lead-score.service.ts';
import { systemClock } from '../shared/clock.ts';
import { CliError, withDatabase } from './database.ts';

export function registerLeadCommands(program: Command): void {
  const lead = program.command('lead').description('one lead: its score under the lead definition in force');
  lead
    .command('score <email>')
    .description("explain a lead's score: each rule that gave points, and why it is or is not an MQL")
    .option('--json', 'print the explanation as JSON')
    .action(async (email: string, options: { json?: boolean }) => {
      const score = await withDatabase('cli: lead score', async (database) => {
        const deps = { db: database.db, clock: systemClock, lifecycle: loadLifecycle() };
        const personId = await findPersonIdByEmail(deps, email);
        if (!personId) throw new CliError(`No lead has the email ${email}.`);
        return explainLeadScore(deps, personId);
      });
      if (options.json) {
        process.stdout.write(`${JSON.stringify(score, null, 2)}\n`);
        return;
      }
      const lines = [
        `${score.verdict}  (lead definition v${score.version})`,
        '',
        `Fit: ${score.fit.points} points, grade ${score.fit.grade}`,
        ...score.fit.hits.map((hit) => `  ${String(hit.points).padStart(6)}  ${hit.label}`),
        `Engagement: ${score.engagement.points} points`,
        ...score.engagement.hits.map(
          (hit) => `  ${String(hit.points).padStart(6)}  ${hit.label} (×${hit.count})`,
        ),
      ];
      process.stdout.write(`${lines.join('\n')}\n`);
    });
}
