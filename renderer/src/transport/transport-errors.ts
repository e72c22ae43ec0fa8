import type { ContractErrorOf } from '../../../shared/contract/contract-error';
import { ContractFailure } from './transport';

/**
 * The errors the transport makes itself, when the core's own error cannot be had: the core
 * cannot be reached (`disconnected`), its answer is not the contract's (`protocol`), or this
 * window failed (`internal`). Only these three names, so screens match on the same enumeration
 * whatever went wrong.
 */
export function disconnected(message: string): ContractFailure {
  const error: ContractErrorOf<'disconnected'> = { name: 'disconnected', message, details: {} };
  return new ContractFailure(error);
}

export function protocolError(message: string): ContractFailure {
  const error: ContractErrorOf<'protocol'> = { name: 'protocol', message, details: {} };
  return new ContractFailure(error);
}

export function internalError(message: string): ContractErrorOf<'internal'> {
  return { name: 'internal', message, details: {} };
}
