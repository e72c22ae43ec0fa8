import type { AuditInputs, AuditOutcome } from '../../../shared/audit/audit-entry';
import { accountActor, currentActor } from '../audit/actor-context';
import { logRawError } from '../errors/error-log';
import { appendAudit } from '../store/audit-trail';
import type { Store } from '../store/store';

/** An account event that no use case wraps: a login attempt, a session that ended. */
export interface AccountEvent {
  /** `login`, `logout`, `session.expired`. */
  operation: string;
  /** The account acted on. */
  target: string;
  /** The account that acted, when it is known but not in scope (a login, a logout). */
  by?: string;
  inputs?: AuditInputs;
  outcome: AuditOutcome;
}

/**
 * Appends an account event to the audit trail. Never pass a password here: only its
 * presence (`{ password: 'set' }`).
 */
export function auditAccountEvent(store: Store, event: AccountEvent): void {
  try {
    appendAudit(store, {
      actor: event.by ? accountActor(event.by) : currentActor(store),
      operation: event.operation,
      target: event.target,
      inputs: event.inputs ?? {},
      outcome: event.outcome,
      digests: {},
    });
  } catch (auditError) {
    // A login must not fail because its record could not be written; the log keeps why.
    logRawError(`recording the audit entry of ${event.operation}`, auditError);
  }
}
