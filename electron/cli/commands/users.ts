import { ROLE_WORDS } from '../../../shared/contract/roles';
import type { Store } from '../../core/store/store';
import {
  addAccount,
  listAccounts,
  removeAccount,
  setAccountPassword,
} from '../../core/use-cases/local-accounts';
import { reportFailure } from '../cli-failure';
import { confirmed } from '../confirm';
import { EXIT, type ExitCode } from '../exit-codes';
import type { Output } from '../output';
import { promptPassword } from '../password-prompt';
import { textTable } from '../text-table';

export interface PasswordSource {
  passwordStdin?: boolean;
}

/**
 * The new password: standard input with `--password-stdin` (its last line break dropped),
 * else asked twice on the terminal; undefined (usage, said on stderr) when neither can be.
 */
async function newPassword(
  command: string,
  options: PasswordSource,
  output: Output,
  readStdin: () => Promise<string>,
): Promise<string | undefined> {
  if (options.passwordStdin) return (await readStdin()).replace(/\r?\n$/, '');
  const typed = await promptPassword('Password: ', true);
  if (typed === undefined) {
    output.err(
      `commissioner ${command}: there is no terminal to ask for the password on: pipe it to --password-stdin`,
    );
    return undefined;
  }
  if (typed === '') {
    output.err(`commissioner ${command}: the two passwords differ: nothing was changed`);
    return undefined;
  }
  return typed;
}

/** `users add <name> --role <role> [--password-stdin] [--json]`. */
export async function runUsersAdd(
  store: Store,
  name: string,
  options: PasswordSource & { role: string; json?: boolean },
  output: Output,
  readStdin: () => Promise<string>,
): Promise<ExitCode> {
  const password = await newPassword('users add', options, output, readStdin);
  if (password === undefined) return EXIT.usage;
  try {
    const added = await addAccount(store, { name, role: options.role, password });
    if (options.json) output.out(JSON.stringify(added));
    else output.out(`added ${added.name}, ${added.role}: ${ROLE_WORDS[added.role]}`);
    return EXIT.ok;
  } catch (e) {
    return reportFailure(output, 'users add', e);
  }
}

/** `users list [--json]`: names, roles, dates; never a password or hash. */
export function runUsersList(store: Store, options: { json?: boolean }, output: Output): ExitCode {
  const accounts = listAccounts(store);
  if (options.json) {
    output.out(JSON.stringify(accounts));
    return EXIT.ok;
  }
  if (accounts.length === 0) {
    output.out(
      'no accounts: the browser host uses its single access token (anyone with its URL acts as this station)',
    );
    return EXIT.ok;
  }
  output.out(
    textTable([
      ['NAME', 'ROLE', 'CREATED', 'PASSWORD CHANGED'],
      ...accounts.map((a) => [a.name, a.role, a.createdAt, a.passwordChangedAt]),
    ]),
  );
  return EXIT.ok;
}

/** `users remove <name> [--yes] [--json]`: its sessions in a running browser host end at their next request. */
export async function runUsersRemove(
  store: Store,
  name: string,
  options: { yes?: boolean; json?: boolean },
  output: Output,
): Promise<ExitCode> {
  if (!(await confirmed(`Remove the account ${name}?`, options.yes))) {
    output.err('commissioner users remove: nothing was removed');
    return EXIT.findings;
  }
  try {
    removeAccount(store, name);
    if (options.json) output.out(JSON.stringify({ removed: name }));
    else output.out(`removed ${name}`);
    return EXIT.ok;
  } catch (e) {
    return reportFailure(output, 'users remove', e);
  }
}

/** `users passwd <name> [--password-stdin] [--json]`: the account's sessions end. */
export async function runUsersPasswd(
  store: Store,
  name: string,
  options: PasswordSource & { json?: boolean },
  output: Output,
  readStdin: () => Promise<string>,
): Promise<ExitCode> {
  const password = await newPassword('users passwd', options, output, readStdin);
  if (password === undefined) return EXIT.usage;
  try {
    const changed = await setAccountPassword(store, name, password);
    if (options.json) output.out(JSON.stringify(changed));
    else output.out(`changed the password of ${changed.name}: its sessions have ended`);
    return EXIT.ok;
  } catch (e) {
    return reportFailure(output, 'users passwd', e);
  }
}
