import type { TrustLevel } from '../../../shared/contract/trust';
import { mostSpecificPolicy, type ScopeSubject } from '../../../shared/trust/policy-scope';
import type { NotaryTrust } from '../signatures/notary-trust';
import { trustPolicies } from '../store/trust-store';
import type { Store } from '../store/store';
import { laptopNotaryTrust, laptopSigstoreTrust, type SigstoreTrust } from './laptop-trust';

/** What an artifact is, as far as policy scopes can tell (see shared/trust/policy-scope.ts). */
export interface PolicySubject extends ScopeSubject {
  appId?: string;
  /** The description's supplier organization(s): `metadata.catalog.organization[].name`. */
  organization?: string | readonly string[];
  /** `registry/repository` when imported from a registry (a tag or digest is ignored). */
  repository?: string;
}

export interface EffectivePolicy {
  /** The scope of the policy that applies; null when none does (then the level is skip). */
  scope: string | null;
  level: TrustLevel;
  notary: NotaryTrust;
  sigstore: SigstoreTrust;
  identities: string[];
}

/**
 * The trust policy that applies to an artifact: the most specific scope covering it (an exact
 * application id, then application id patterns, the organization, registry/repository
 * patterns, then `*`). No policy covering it means `skip`: nothing is required, as before
 * trust policies existed; the trust returned is then the whole store, so a verdict can still
 * be shown.
 */
export function policyFor(store: Store, subject: PolicySubject): EffectivePolicy {
  const policy = mostSpecificPolicy(trustPolicies(store), subject);
  if (!policy) {
    return {
      scope: null,
      level: 'skip',
      notary: laptopNotaryTrust(store),
      sigstore: laptopSigstoreTrust(store),
      identities: [],
    };
  }
  const names = policy.trust ?? undefined;
  return {
    scope: policy.scope,
    level: policy.level,
    notary: laptopNotaryTrust(store, names, policy.identities),
    sigstore: laptopSigstoreTrust(store, names),
    identities: policy.identities,
  };
}
