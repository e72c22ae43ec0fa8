import type { runUsersAdd, runUsersPasswd, runUsersRemove } from '../commands/users';
import type { Command, CommandContext } from './command-context';

/** `users`: the browser host's named accounts on a shared station. */
export function registerUserCommands(
  program: Command,
  { output, withStore, readStdin }: CommandContext,
): void {
  const users = program
    .command('users')
    .description("the browser host's named accounts (with none, it uses its single access token)");
  users
    .command('add')
    .description(
      'add an account: viewer (reads), operator (also imports and deploys), admin (also devices, trust, accounts, Margo clients)',
    )
    .argument('<name>', 'the account name (lower-case letters, digits, . _ -)')
    .requiredOption('--role <role>', 'viewer, operator or admin')
    .option(
      '--password-stdin',
      'read the password from standard input (otherwise asked on the terminal)',
    )
    .option('--json', 'print the account as JSON')
    .action(async (name: string, options: Parameters<typeof runUsersAdd>[2]) => {
      const { runUsersAdd } = await import('../commands/users');
      await withStore((store) => runUsersAdd(store, name, options, output, readStdin));
    });
  users
    .command('list')
    .description('list the accounts and their roles')
    .option('--json', 'print a JSON array')
    .action(async (options: { json?: boolean }) => {
      const { runUsersList } = await import('../commands/users');
      await withStore((store) => runUsersList(store, options, output));
    });
  users
    .command('remove')
    .description('remove an account (its sessions end)')
    .argument('<name>', 'the account name')
    .option('--yes', 'do not ask for confirmation')
    .option('--json', 'print what was removed as JSON')
    .action(async (name: string, options: Parameters<typeof runUsersRemove>[2]) => {
      const { runUsersRemove } = await import('../commands/users');
      await withStore((store) => runUsersRemove(store, name, options, output));
    });
  users
    .command('passwd')
    .description("change an account's password (its sessions end)")
    .argument('<name>', 'the account name')
    .option(
      '--password-stdin',
      'read the password from standard input (otherwise asked on the terminal)',
    )
    .option('--json', 'print the account as JSON')
    .action(async (name: string, options: Parameters<typeof runUsersPasswd>[2]) => {
      const { runUsersPasswd } = await import('../commands/users');
      await withStore((store) => runUsersPasswd(store, name, options, output, readStdin));
    });
}
