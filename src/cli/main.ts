import { Command } from 'commander';
import { registerAuthCommands } from './auth.command.ts';
import { CliError, openForCli } from './database.ts';
import { registerDoctorCommand } from './doctor.command.ts';
import { registerFunnelCommand } from './funnel.command.ts';
import { registerImportCommands } from './import.command.ts';
import { registerScorecardCommands } from './scorecard.command.ts';

const program = new Command()
  .name('lockstep')
  .description(
    'Lockstep: marketing and sales as one revenue team.\n' +
      'Works on the same database as the server: LOCKSTEP_DATA_DIR (embedded, default ./data) or DATABASE_URL.',
  )
  .showHelpAfterError();

registerImportCommands(program, openForCli);
registerFunnelCommand(program);
registerAuthCommands(program);
registerDoctorCommand(program);
registerScorecardCommands(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (!(error instanceof CliError)) throw error;
  process.stderr.write(`${error.message}\n`);
  process.exitCode = 2;
}
