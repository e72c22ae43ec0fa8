import {
  CommissionerError,
  type ContractError,
  type ContractErrorOf,
} from '../../../shared/contract/contract-error';
import { logRawError } from './error-log';
import { isNetworkError, systemErrorWords } from './system-error-words';

/**
 * The one converter from anything thrown to the error the contract carries, used at every hop
 * (the app core, the CLI, the browser host, the desktop shell). A CommissionerError passes as
 * it is; a system error becomes its plain words (`storage`, `network`); anything else is
 * `internal`, with `doing` saying what was being done. Raw causes go to the error log, never
 * into the message.
 */
export function toContractError(e: unknown, doing: string): ContractError {
  if (e instanceof CommissionerError) return e.toContract() as ContractError;
  logRawError(doing, e);
  const err = e as NodeJS.ErrnoException;
  const words = err && typeof err === 'object' && err.code ? systemErrorWords(err) : undefined;
  if (words && isNetworkError(err)) {
    return {
      name: 'network',
      message: `${capitalized(doing)} failed: ${words}`,
      details: {},
    } satisfies ContractErrorOf<'network'>;
  }
  if (words) {
    return {
      name: 'storage',
      message: `${capitalized(doing)} failed: ${words}`,
      details: err.path ? { path: err.path } : {},
    } satisfies ContractErrorOf<'storage'>;
  }
  return {
    name: 'internal',
    message: `${capitalized(doing)} failed unexpectedly: ${plainMessage(err)}. Try again; if it happens again, the error log in the data home's logs folder has the details for support.`,
    details: {},
  } satisfies ContractErrorOf<'internal'>;
}

/** An unexpected error's own message without the parts meant for programmers. */
function plainMessage(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e);
  return (
    text
      .split('\n')[0]
      // "ECONNRESET: …", "Error: …", "TypeError: …" prefixes, and codes in parentheses.
      ?.replace(/^([A-Z][A-Za-z]*Error|E[A-Z]+|ERR_[A-Z_]+):\s*/, '')
      .replace(/\s*\((?:E[A-Z]+|ERR_[A-Z_]+)\)/g, '')
      .replace(/\.$/, '')
      .trim() || 'no reason given'
  );
}

function capitalized(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
