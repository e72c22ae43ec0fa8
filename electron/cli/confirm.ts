import { createInterface } from 'node:readline/promises';

/**
 * Asks on a terminal before a change; `--yes` (or no terminal: scripts, pipes) goes ahead
 * without asking.
 */
export async function confirmed(question: string, yes: boolean | undefined): Promise<boolean> {
  if (yes || !process.stdin.isTTY || !process.stderr.isTTY) return true;
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  const answer = await rl.question(`${question} [y/N] `);
  rl.close();
  return /^y(es)?$/i.test(answer.trim());
}
