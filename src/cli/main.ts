import { Command } from 'commander';

const program = new Command()
  .name('lockstep')
  .description('Lockstep: one revenue team, marketing and sales in step.')
  .showHelpAfterError();

await program.parseAsync(process.argv);
