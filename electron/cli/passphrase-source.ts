import { readFileSync } from 'node:fs';
import type { Output } from './output';
import { promptPassword } from './password-prompt';

/**
 * A backup's passphrase: the file's content (one trailing line break dropped), else typed on
 * the terminal (twice when making a backup: a typo nobody saw would lock the backup for good).
 * Undefined, with the reason said on stderr, when neither can be had: a usage error. The
 * passphrase itself is never printed.
 */
export async function backupPassphrase(
  command: string,
  file: string | undefined,
  output: Output,
  options: { confirm: boolean; optional?: boolean },
): Promise<string | undefined> {
  if (file !== undefined) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      output.err(
        `commissioner ${command}: cannot read the passphrase file ${file}: give a readable file holding the passphrase`,
      );
      return undefined;
    }
    const passphrase = text.replace(/\r?\n$/, '');
    if (passphrase === '') {
      output.err(`commissioner ${command}: the passphrase file ${file} is empty`);
      return undefined;
    }
    return passphrase;
  }
  const question = options.optional
    ? 'Passphrase (Enter alone shows the header only): '
    : 'Passphrase: ';
  const typed = await promptPassword(question, options.confirm);
  if (typed === undefined) {
    if (options.optional) return undefined;
    output.err(
      `commissioner ${command}: there is no terminal to ask for the passphrase on: give it in a file with --passphrase-file`,
    );
    return undefined;
  }
  if (typed === '' && options.confirm) {
    output.err(`commissioner ${command}: the two passphrases differ (or were empty): try again`);
    return undefined;
  }
  if (typed === '') {
    if (!options.optional) output.err(`commissioner ${command}: no passphrase was typed`);
    return undefined;
  }
  return typed;
}
