import { randomBytes } from 'node:crypto';
import { type Command, Option } from 'commander';
import { roles } from '../modules/auth/access.ts';
import { createApiToken, createUser } from '../modules/auth/auth.service.ts';
import { systemClock } from '../shared/clock.ts';
import { withDatabase } from './database.ts';

const roleOption = () =>
  new Option('--role <role>', 'what the holder may do').choices(roles).makeOptionMandatory();
const teamOption = () =>
  new Option('--team <team>', 'marketing or sales').choices(['marketing', 'sales']).default('sales');

export function registerAuthCommands(program: Command): void {
  const token = program.command('token').description('API tokens for scripts and integrations');
  token
    .command('create')
    .description('create an API token (shown once) for `Authorization: Bearer <token>`')
    .addOption(roleOption())
    .addOption(teamOption())
    .option('--name <name>', 'what the token is for', 'cli token')
    .action(async (options: { role: (typeof roles)[number]; team: 'marketing' | 'sales'; name: string }) => {
      const created = await withDatabase('cli: token create', (database) =>
        createApiToken({ db: database.db, clock: systemClock }, { ...options, createdBy: null }),
      );
      process.stdout.write(`${created.token}\n`);
      process.stderr.write(
        `Token "${options.name}" (role ${options.role}) created. It is shown only once.\n`,
      );
    });

  const user = program.command('user').description('people who sign in to the web app');
  user
    .command('create')
    .description('create a user; prints a generated password unless --password-stdin is given')
    .requiredOption('--email <email>')
    .requiredOption('--name <name>')
    .addOption(roleOption())
    .addOption(teamOption())
    .option('--password-stdin', 'read the password from standard input')
    .action(
      async (options: {
        email: string;
        name: string;
        role: (typeof roles)[number];
        team: 'marketing' | 'sales';
        passwordStdin?: boolean;
      }) => {
        const password = options.passwordStdin
          ? (await readStdin()).trim()
          : randomBytes(12).toString('base64url');
        const created = await withDatabase('cli: user create', (database) =>
          createUser({ db: database.db, clock: systemClock }, { ...options, password }),
        );
        process.stdout.write(
          `Created ${created.name} <${created.email}> (${created.team}, ${created.role}).\n`,
        );
        if (!options.passwordStdin) process.stdout.write(`Password (shown once): ${password}\n`);
      },
    );
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
