import { outcomeOfError } from '../../../shared/audit/audit-outcome';
import type { ContractError } from '../../../shared/contract/contract-error';
import { logRawError } from '../errors/error-log';
import { appendAudit } from '../store/audit-trail';
import type { Store } from '../store/store';
import { currentActor, hasActor, runAsActor } from './actor-context';
import type { Face } from './actor-scope';

/** Request members that name what an operation acts on, in the order they are looked for. */
const TARGET_KEYS = ['device', 'name', 'id', 'clientId', 'scope'] as const;

/**
 * The entry of a state-changing request refused before its use case ran: the operation, what
 * the request names, and why — never the request itself (it may carry values or tokens).
 */
export function recordRefusedRequest(
  store: Store,
  operation: string,
  request: unknown,
  error: ContractError,
  /** The face asking, when no scope names who (a contract call outside any scope). */
  face: Face = 'cli',
): void {
  const fields = (request ?? {}) as Record<string, unknown>;
  const key = TARGET_KEYS.find((k) => typeof fields[k] === 'string');
  const append = () =>
    appendAudit(store, {
      actor: currentActor(store),
      operation,
      target: key ? String(fields[key]) : '',
      inputs: {},
      outcome: outcomeOfError(error),
      digests: {},
    });
  try {
    if (hasActor()) append();
    else runAsActor(face, append);
  } catch (auditError) {
    // The refusal is what the engineer must see; the log keeps why it was not recorded.
    logRawError(`recording the audit entry of ${operation}`, auditError);
  }
}
