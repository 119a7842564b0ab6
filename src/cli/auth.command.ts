import { type Command, Option } from 'commander';
import type { Database } from '../db/client.ts';
import { roles } from '../modules/auth/access.ts';
import {
  addUser,
  changeUser,
  createApiToken,
  findUserByEmail,
  listApiTokens,
  listUsers,
  type PublicUser,
  resetPassword,
  revokeApiToken,
} from '../modules/auth/auth.service.ts';
import { systemClock } from '../shared/clock.ts';
import { CliError, withDatabase } from './database.ts';
import { textTable } from './table.ts';

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
        createApiToken(authDeps(database), { ...options, createdBy: null }),
      );
      process.stdout.write(`${created.token}\n`);
      process.stderr.write(
        `Token "${options.name}" (role ${options.role}) created. It is shown only once.\n`,
      );
    });
  token
    .command('list')
    .description('every API token: live first, then revoked (never the secret)')
    .action(async () => {
      const tokens = await withDatabase('cli: token list', (database) => listApiTokens(authDeps(database)));
      if (tokens.length === 0) {
        process.stdout.write('No API tokens yet: `lockstep token create --role <role>` makes one.\n');
        return;
      }
      const rows = tokens.map((t) => [
        t.id,
        t.name,
        t.role,
        t.team,
        t.createdByName ?? '(command line)',
        t.createdAt.toISOString().slice(0, 10),
        t.revokedAt ? `revoked ${t.revokedAt.toISOString().slice(0, 10)}` : 'live',
      ]);
      process.stdout.write(
        `${textTable(['id', 'name', 'role', 'team', 'created by', 'created', 'state'], rows, { left: true })}\n`,
      );
    });
  token
    .command('revoke <id>')
    .description('revoke a token (from `lockstep token list`): its next request answers 401')
    .action(async (id: string) => {
      if (!/^[0-9a-f-]{36}$/i.test(id))
        throw new CliError(`"${id}" is not a token id: \`lockstep token list\` shows them.`);
      const revoked = await withDatabase('cli: token revoke', (database) =>
        revokeApiToken(authDeps(database), id),
      );
      process.stdout.write(`Token "${revoked.name}" is revoked since ${revoked.revokedAt?.toISOString()}.\n`);
    });

  const user = program.command('user').description('people who sign in to the web app');
  user
    .command('create')
    .description('create a user; prints a generated password unless --password-stdin is given')
    .requiredOption('--email <email>')
    .requiredOption('--name <name>')
    .addOption(roleOption())
    .addOption(teamOption())
    .option('--approver', 'may sign lead definitions for their team')
    .option('--password-stdin', 'read the password from standard input')
    .action(
      async (options: {
        email: string;
        name: string;
        role: (typeof roles)[number];
        team: 'marketing' | 'sales';
        approver?: boolean;
        passwordStdin?: boolean;
      }) => {
        const given = options.passwordStdin ? (await readStdin()).trim() : undefined;
        if (given !== undefined && given.length < 10)
          throw new CliError('The password must be at least 10 characters.');
        const { passwordStdin: _stdin, ...input } = options;
        const created = await withDatabase('cli: user create', (database) =>
          addUser(authDeps(database), { ...input, approver: options.approver ?? false, password: given }),
        );
        process.stdout.write(`Created ${describeUser(created.user)}.\n`);
        if (created.password) process.stdout.write(`Password (shown once): ${created.password}\n`);
      },
    );
  user
    .command('list')
    .description('everyone on the team, their role, and who approves lead definitions')
    .action(async () => {
      const users = await withDatabase('cli: user list', (database) => listUsers(authDeps(database)));
      const rows = users.map((u) => [
        u.name,
        u.email ?? '(no sign-in)',
        u.team,
        u.role,
        u.approver ? 'yes' : '',
        u.active ? 'active' : 'turned off',
      ]);
      const header = ['name', 'email', 'team', 'role', 'approver', 'account'];
      process.stdout.write(`${textTable(header, rows, { left: true })}\n`);
    });
  user
    .command('update <email>')
    .description("change a user's team, role or approver flag, or turn the account off and on")
    .addOption(new Option('--role <role>', 'what they may do').choices(roles))
    .addOption(new Option('--team <team>', 'marketing or sales').choices(['marketing', 'sales']))
    .option('--approver', 'may sign lead definitions for their team')
    .option('--no-approver', 'may no longer sign lead definitions')
    .option('--deactivate', 'turn the account off: no sign-in, sessions ended')
    .option('--reactivate', 'turn the account on again')
    .action(
      async (
        email: string,
        options: {
          role?: (typeof roles)[number];
          team?: 'marketing' | 'sales';
          approver?: boolean;
          deactivate?: boolean;
          reactivate?: boolean;
        },
      ) => {
        if (options.deactivate && options.reactivate)
          throw new CliError('Give --deactivate or --reactivate, not both.');
        const active = options.deactivate ? false : options.reactivate ? true : undefined;
        const change = { role: options.role, team: options.team, approver: options.approver, active };
        if (Object.values(change).every((value) => value === undefined))
          throw new CliError(
            'Say what to change: --role, --team, --approver, --no-approver, --deactivate or --reactivate.',
          );
        const changed = await withDatabase('cli: user update', async (database) =>
          changeUser(authDeps(database), (await userByEmail(database, email)).id, change),
        );
        process.stdout.write(`Now: ${describeUser(changed)}.\n`);
      },
    );
  user
    .command('reset-password <email>')
    .description(
      'give a user a new password, printed once (for an admin who cannot sign in, too); their sessions end',
    )
    .action(async (email: string) => {
      const reset = await withDatabase('cli: user reset-password', async (database) =>
        resetPassword(authDeps(database), (await userByEmail(database, email)).id),
      );
      process.stdout.write(`New password for ${describeUser(reset.user)} (shown once): ${reset.password}\n`);
    });
}

async function userByEmail(database: { db: Database['db'] }, email: string): Promise<PublicUser> {
  const found = await findUserByEmail(authDeps(database), email);
  if (!found)
    throw new CliError(`There is no user with the email ${email}: \`lockstep user list\` shows them.`);
  return found;
}

const authDeps = (database: { db: Database['db'] }) => ({ db: database.db, clock: systemClock });

const describeUser = (u: PublicUser) =>
  `${u.name} <${u.email}> (${u.team}, ${u.role}${u.approver ? ', approver' : ''}${u.active ? '' : ', turned off'})`;

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
