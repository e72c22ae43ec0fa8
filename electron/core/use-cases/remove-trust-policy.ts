import { audited } from '../audit/audited';
import { CommissionerError, notFound } from '../../../shared/contract/contract-error';
import { parseScope } from '../../../shared/trust/policy-scope';
import { deleteTrustPolicy } from '../store/trust-store';
import type { Store } from '../store/store';

/** Removes a scope's policy (the scope in any form that means it: `app:x` or `x`). */
function removeTrustPolicyNow(store: Store, scope: string): { scope: string } {
  const parsed = parseScope(scope);
  if (!parsed.ok) throw new CommissionerError('invalid-input', parsed.message, { field: 'scope' });
  if (!deleteTrustPolicy(store, parsed.canonical)) {
    throw notFound(
      'trust-policy',
      parsed.canonical,
      `there is no trust policy for ${parsed.canonical}`,
    );
  }
  return { scope: parsed.canonical };
}

/** Removes a scope's policy (audited). */
export function removeTrustPolicy(store: Store, scope: string): { scope: string } {
  return audited(store, { operation: 'trust.removePolicy', target: scope }, () =>
    removeTrustPolicyNow(store, scope),
  );
}
