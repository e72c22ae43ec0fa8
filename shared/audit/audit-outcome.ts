import type { ContractError, ErrorName } from '../contract/contract-error';
import type { AuditOutcome } from './audit-entry';

/**
 * Errors that mean a rule said no before anything changed (bad input, a missing thing, a
 * busy device, a refusal): the outcome is `refused`. The others (a device or disk that failed
 * on the way, anything unexpected) are `failed`.
 */
const REFUSALS: ReadonlySet<ErrorName> = new Set<ErrorName>([
  'invalid-request',
  'not-found',
  'already-exists',
  'invalid-input',
  'invalid-values',
  'invalid-document',
  'choose-profile',
  'device-busy',
  'not-supported',
  'refused',
  'changed',
  'forbidden',
]);

/** The audit outcome of an operation that ended with this contract error. */
export function outcomeOfError(error: ContractError): AuditOutcome {
  return {
    result: REFUSALS.has(error.name) ? 'refused' : 'failed',
    reason: error.message,
    error: error.name,
  };
}
