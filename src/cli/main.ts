import { Command } from 'commander';
import { AppError } from '../shared/errors.ts';
import { registerAuthCommands } from './auth.command.ts';
import { CliError, openForCli } from './database.ts';
import { registerDoctorCommand } from './doctor.command.ts';
import { registerExportCommands } from './export.command.ts';
import { registerFunnelCommand } from './funnel.command.ts';
import { registerImportCommands } from './import.command.ts';
import { registerLeadCommands } from './lead.command.ts';
import { registerReportCommand } from './report.command.ts';
import { registerScorecardCommands } from './scorecard.command.ts';
import { registerSlaCommands } from './sla.command.ts';
import { registerTargetCommands } from './targets.command.ts';

const program = new Command()
  .name('lockstep')
  .description(
    'Lockstep: marketing and sales as one revenue team.\n' +
      'Works on the same database as the server: LOCKSTEP_DATA_DIR (embedded, default ./data) or DATABASE_URL.',
  )
  .showHelpAfterError();

registerImportCommands(program, openForCli);
registerFunnelCommand(program);
registerExportCommands(program);
registerReportCommand(program);
registerLeadCommands(program);
registerAuthCommands(program);
registerDoctorCommand(program);
registerScorecardCommands(program);
registerSlaCommands(program);
registerTargetCommands(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  // Problems with the input are told as they are; anything else is a bug and keeps its stack.
  const told = error instanceof CliError || (error instanceof AppError && error.status < 500);
  if (!told) throw error;
  process.stderr.write(`${(error as Error).message}\n`);
  process.exitCode = 2;
}
