import type { AuditDigests, AuditInputs, AuditOutcome } from '../../../shared/audit/audit-entry';
import { outcomeOfError } from '../../../shared/audit/audit-outcome';
import { logRawError } from '../errors/error-log';
import { toContractError } from '../errors/to-contract-error';
import { appendAudit } from '../store/audit-trail';
import type { Store } from '../store/store';
import { currentActor } from './actor-context';

/** Errors whose operation already has its entry: the face's fallback must not add another. */
const recorded = new WeakSet<object>();

/** Whether what was thrown ended an operation that was recorded already. */
export function wasAudited(e: unknown): boolean {
  return e !== null && typeof e === 'object' && recorded.has(e);
}

/** What an operation is, for its audit entry. */
export interface AuditedOperation {
  operation: string;
  target: string;
  inputs?: AuditInputs;
  digests?: AuditDigests;
}

/** What the result adds once known: digests made, a target named only then, a partial outcome. */
export interface AuditedResult {
  target?: string;
  inputs?: AuditInputs;
  digests?: AuditDigests;
  outcome?: AuditOutcome;
}

/**
 * Runs a use case's body and appends its one audit entry: ok (or what `describe` says of the
 * result), refused or failed from what it threw — then returns or rethrows as before. Use
 * cases call it, so an operation is recorded once whichever face (CLI, desktop, browser)
 * asked. Works for bodies that return a value or a promise.
 */
export function audited<T>(
  store: Store,
  what: AuditedOperation,
  run: () => T,
  describe?: (result: Awaited<T>) => AuditedResult,
): T {
  // Who asked, as they were named when asking (setting the engineer name changes it).
  const actor = currentActor(store);
  const record = (outcome: AuditOutcome, extra: AuditedResult = {}) => {
    appendAudit(store, {
      actor,
      operation: what.operation,
      target: extra.target ?? what.target,
      inputs: jsonSafe({ ...what.inputs, ...extra.inputs }),
      outcome: extra.outcome ?? outcome,
      digests: { ...what.digests, ...extra.digests },
    });
  };
  const failedWith = (e: unknown): never => {
    try {
      record(outcomeOfError(toContractError(e, what.operation.replace('.', ' '))));
    } catch (auditError) {
      // The operation's own error is what the engineer must see; the log keeps this one.
      logRawError(`recording the audit entry of ${what.operation}`, auditError);
    }
    if (e !== null && typeof e === 'object') recorded.add(e);
    throw e;
  };
  let result: T;
  try {
    result = run();
  } catch (e) {
    return failedWith(e);
  }
  if (result instanceof Promise) {
    return result.then((value: Awaited<T>) => {
      record({ result: 'ok' }, describe?.(value));
      return value;
    }, failedWith) as T;
  }
  record({ result: 'ok' }, describe?.(result as Awaited<T>));
  return result;
}

/** A number JSON cannot hold (a port typed as "eighty" is NaN) is kept as its text. */
function jsonSafe(inputs: AuditInputs): AuditInputs {
  return Object.fromEntries(
    Object.entries(inputs).map(([k, v]) => [
      k,
      typeof v === 'number' && !Number.isFinite(v) ? String(v) : v,
    ]),
  );
}
