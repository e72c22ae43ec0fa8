import { audited } from '../audit/audited';
import { CommissionerError } from '../../../shared/contract/contract-error';
import { TrustLevel } from '../../../shared/contract/trust';
import type { TrustPolicyView } from '../../../shared/contract/trust-store';
import { parseScope } from '../../../shared/trust/policy-scope';
import { putTrustPolicy, trustEntries, trustPolicy } from '../store/trust-store';
import type { Store } from '../store/store';
import { trustPolicyView } from './trust-policies';

export interface SetTrustPolicyInput {
  scope: string;
  /** strict | audit | skip (checked here). */
  level: string;
  /** Entry names this scope trusts; absent, null or empty = every entry. */
  trust?: string[] | null | undefined;
  /** Signer subject DNs (`x509.subject:` may prefix them); absent or empty = any signer. */
  identities?: string[] | undefined;
}

/**
 * Sets the policy of a scope, replacing the one it had: the scope parsed into its canonical
 * form, the level known, every named entry in the trust store (an unknown name is refused:
 * a typo must not leave a policy trusting nothing, or everything), the identities tidied.
 */
function setTrustPolicyNow(store: Store, input: SetTrustPolicyInput): TrustPolicyView {
  const scope = parseScope(input.scope);
  if (!scope.ok) throw invalid(scope.message, 'scope');
  const level = TrustLevel.safeParse(input.level);
  if (!level.success) {
    throw invalid(`unknown level "${input.level}": use strict, audit or skip`, 'level');
  }
  const trust = input.trust && input.trust.length > 0 ? entryNames(store, input.trust) : null;
  const identities = trustedIdentities(input.identities ?? []);
  const existing = trustPolicy(store, scope.canonical);
  putTrustPolicy(store, {
    // An organization keeps the spelling it was first given; its scope matches any case.
    scope: existing?.scope ?? scope.canonical,
    level: level.data,
    trust,
    identities,
    updatedAt: new Date().toISOString(),
  });
  const saved = trustPolicy(store, scope.canonical);
  if (!saved) throw new Error('unreachable: the policy was just written');
  return trustPolicyView(saved);
}

/** The stored names of the given entries (names compare without regard to case). */
function entryNames(store: Store, names: string[]): string[] {
  const byName = new Map(trustEntries(store).map((e) => [e.name.toLowerCase(), e.name]));
  const unknown = names.filter((n) => !byName.has(n.toLowerCase()));
  if (unknown.length > 0) {
    const known = [...byName.values()];
    throw invalid(
      `the trust store has no entry named ${unknown.join(', ')}: ${
        known.length > 0 ? `its entries are ${known.join(', ')}` : 'it is empty; add one first'
      }`,
      'trust',
    );
  }
  return [...new Set(names.map((n) => byName.get(n.toLowerCase()) as string))];
}

const DN = /^[A-Za-z][A-Za-z0-9.-]*=[^,]*(,\s*[A-Za-z][A-Za-z0-9.-]*=[^,]*)*$/;

/** `x509.subject: C=US, CN=Signer` → `C=US, CN=Signer`; `*` alone means any signer. */
function trustedIdentities(given: string[]): string[] {
  const identities = given
    .map((i) => i.trim().replace(/^x509\.subject:\s*/i, ''))
    .filter((i) => i !== '');
  if (identities.includes('*')) return [];
  for (const identity of identities) {
    if (!DN.test(identity)) {
      throw invalid(
        `"${identity}" is not a certificate subject: write it as its attributes, e.g. C=US, O=Acme, CN=Release Signing`,
        'identity',
      );
    }
  }
  return [...new Set(identities)];
}

function invalid(message: string, field: string): CommissionerError<'invalid-input'> {
  return new CommissionerError('invalid-input', message, { field });
}

/** Sets the policy of a scope (audited; see setTrustPolicyNow). */
export function setTrustPolicy(store: Store, input: SetTrustPolicyInput): TrustPolicyView {
  return audited(
    store,
    {
      operation: 'trust.setPolicy',
      target: input.scope,
      inputs: {
        level: input.level,
        trust: input.trust ?? null,
        identities: input.identities ?? [],
      },
    },
    () => setTrustPolicyNow(store, input),
  );
}
