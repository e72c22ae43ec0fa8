import { createInterface } from 'node:readline';

/**
 * Asks for a password on the terminal without echoing it (twice when `confirm`, since a typo
 * nobody saw would lock the account out). Undefined when there is no terminal to ask on:
 * scripts pass the password on standard input instead.
 */
export async function promptPassword(
  question: string,
  confirm: boolean,
): Promise<string | undefined> {
  if (!process.stdin.isTTY || !process.stderr.isTTY) return undefined;
  const first = await askHidden(question);
  if (!confirm) return first;
  const second = await askHidden('Again, to be sure: ');
  return first === second ? first : '';
}

function askHidden(question: string): Promise<string> {
  return new Promise((resolve) => {
    const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
    // readline echoes what is typed through _writeToOutput: after the question, write nothing.
    const quiet = rl as unknown as { _writeToOutput: (s: string) => void };
    let asked = false;
    const write = quiet._writeToOutput.bind(rl);
    quiet._writeToOutput = (s: string) => {
      if (!asked) write(s);
    };
    rl.question(question, (answer) => {
      process.stderr.write('\n');
      rl.close();
      resolve(answer);
    });
    asked = true;
  });
}
