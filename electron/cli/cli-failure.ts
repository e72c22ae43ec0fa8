import type { ContractError, ErrorName } from '../../shared/contract/contract-error';
import { toContractError } from '../core/errors/to-contract-error';
import { EXIT, type ExitCode } from './exit-codes';
import { formatDiagnostic, type Output } from './output';

/** The exit code of each kind of error, unless a command says otherwise. */
const DEFAULT_EXIT: Record<ErrorName, ExitCode> = {
  'invalid-request': EXIT.usage,
  'invalid-input': EXIT.usage,
  'choose-profile': EXIT.usage,
  'contract-violation': EXIT.findings,
  protocol: EXIT.findings,
  disconnected: EXIT.findings,
  'not-found': EXIT.findings,
  'already-exists': EXIT.findings,
  'invalid-values': EXIT.findings,
  'invalid-document': EXIT.findings,
  'device-busy': EXIT.findings,
  'device-unreachable': EXIT.findings,
  'not-supported': EXIT.findings,
  refused: EXIT.findings,
  forbidden: EXIT.findings,
  changed: EXIT.findings,
  storage: EXIT.findings,
  network: EXIT.findings,
  internal: EXIT.findings,
};

/**
 * Says why a command stopped, once, in plain words on stderr (`commissioner <command>: …`),
 * with the details a person can act on (diagnostics at file:line:column, refused values), and
 * returns its exit code. The raw error (class, code, stack) only with --debug.
 */
export function reportFailure(
  output: Output,
  command: string,
  e: unknown,
  exitFor: (error: ContractError) => ExitCode | undefined = () => undefined,
): ExitCode {
  return reportError(output, command, toContractError(e, `commissioner ${command}`), e, exitFor);
}

/** As reportFailure, for an error already converted (the command needs it for its JSON too). */
export function reportError(
  output: Output,
  command: string,
  error: ContractError,
  e: unknown,
  exitFor: (error: ContractError) => ExitCode | undefined = () => undefined,
): ExitCode {
  output.err(`commissioner ${command}: ${error.message}`);
  for (const line of detailLines(error)) output.err(line);
  if (output.debug && e instanceof Error && e.stack) output.err(e.stack);
  return exitFor(error) ?? DEFAULT_EXIT[error.name];
}

/** What an error's details say that a person can act on, one line each. */
export function detailLines(error: ContractError): string[] {
  switch (error.name) {
    case 'invalid-document':
      return error.details.diagnostics.map((d) => formatDiagnostic(d, false));
    case 'invalid-values':
      return error.details.errors.map((e) => `  ${describeValueProblem(e)}`);
    default:
      return [];
  }
}

/** `pollFrequency (Poll Frequency): must be at least 30 [values.yaml:3:16]`. */
export function describeValueProblem(e: {
  parameter: string;
  setting?: string | undefined;
  message: string;
  source?: string | undefined;
}): string {
  return `${e.parameter}${e.setting !== undefined ? ` (${e.setting})` : ''}: ${e.message}${e.source ? ` [${e.source}]` : ''}`;
}

/**
 * For an input the engineer gives with a flag, says which flag (the core's sentence names the
 * thing, not how this face spells it).
 */
export function flagHint(output: Output, flags: Record<string, string>) {
  return (error: ContractError): ExitCode | undefined => {
    const field = error.name === 'invalid-input' ? error.details.field : undefined;
    const flag = field !== undefined ? flags[field] : undefined;
    if (flag) output.err(`  ${flag}`);
    return undefined;
  };
}

/** When a profile must be chosen, says how on the command line. */
export function profileHint(output: Output) {
  return (error: ContractError): ExitCode | undefined => {
    if (error.name === 'choose-profile') output.err('  choose it with --profile <id>');
    return undefined;
  };
}

/** A command line the engineer can fix, said as it is: exit 2. */
export function reportUsage(output: Output, command: string, e: Error): ExitCode {
  output.err(`commissioner ${command}: ${e.message}`);
  return EXIT.usage;
}
