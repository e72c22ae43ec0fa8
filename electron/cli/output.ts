import type { Diagnostic } from '../../shared/validation/diagnostic';

/** Where a command writes: stdout for results (JSON only with --json), stderr for the rest. */
export interface Output {
  out(text: string): void;
  err(text: string): void;
  /** True when stdout is a terminal: colour and progress bars are allowed. */
  tty: boolean;
  /** --debug: raw errors (class names, codes, stack traces) go to stderr too. */
  debug?: boolean;
}

export const processOutput: Output = {
  debug: false,
  out: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
  err: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
  get tty() {
    return process.stdout.isTTY === true && !process.env.NO_COLOR;
  },
};

const COLOURS = { error: '\u001b[31m', warning: '\u001b[33m', reset: '\u001b[0m' };

/** `file:line:col: severity: message [rule]`, the form editors and CI logs link to. */
export function formatDiagnostic(d: Diagnostic, colour: boolean): string {
  const severity = colour ? `${COLOURS[d.severity]}${d.severity}${COLOURS.reset}` : d.severity;
  return `${d.file}:${d.line}:${d.column}: ${severity}: ${d.message} [${d.rule}]`;
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
