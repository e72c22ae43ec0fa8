import type { Store } from '../store/store';

/** An account event for the audit trail (issue 18 item 1). */
export interface AccountEvent {
  /** `login`, `logout`, `users.add`, `users.remove`, `users.setPassword`. */
  operation: string;
  /** The account acted on. */
  target: string;
  /** The account that acted, when a logged-in account did (the CLI acts as the OS user). */
  by?: string;
  inputs?: Record<string, string>;
  outcome: { result: 'ok' } | { result: 'refused' | 'failed'; reason: string; error: string };
}

/**
 * MERGE POINT (i18-audit): the one place account events reach the audit trail. Until the
 * audit branch is merged there is no trail to append to; at merge this becomes
 * `appendAudit(store, { actor: by ? { user: by, host: hostname(), via: 'browser' } :
 * currentActor(store), operation, target, inputs: inputs ?? {}, outcome, digests: {} })`.
 * Never pass a password here: only its presence (`{ password: 'set' }`).
 */
export function auditAccountEvent(store: Store, event: AccountEvent): void {
  void store;
  void event;
}
