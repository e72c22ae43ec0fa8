import type { TrustPolicyView } from '../../../shared/contract/trust-store';
import { compareScopes, parseScope } from '../../../shared/trust/policy-scope';
import { trustPolicies, type TrustPolicyRecord } from '../store/trust-store';
import type { Store } from '../store/store';

/** The trust policies, most specific scope first (the order in which they are looked up). */
export function listTrustPolicies(store: Store): TrustPolicyView[] {
  return trustPolicies(store)
    .map((p) => ({ record: p, parsed: parseScope(p.scope) }))
    .flatMap(({ record, parsed }) => (parsed.ok ? [{ record, scope: parsed.scope }] : []))
    .sort((a, b) => compareScopes(a.scope, b.scope))
    .map(({ record }) => trustPolicyView(record));
}

export function trustPolicyView(policy: TrustPolicyRecord): TrustPolicyView {
  const parsed = parseScope(policy.scope);
  return {
    scope: policy.scope,
    kind: parsed.ok ? parsed.scope.kind : 'app',
    level: policy.level,
    trust: policy.trust,
    identities: policy.identities,
    updatedAt: policy.updatedAt,
  };
}
