import { LEVEL_WORDS, type TrustEntryView } from '../../../shared/contract/trust-store';
import { describeScope, parseScope } from '../../../shared/trust/policy-scope';
import type { Store } from '../../core/store/store';
import { addTrustEntry } from '../../core/use-cases/add-trust-entry';
import { removeTrustEntry } from '../../core/use-cases/remove-trust-entry';
import { removeTrustPolicy } from '../../core/use-cases/remove-trust-policy';
import { setTrustPolicy } from '../../core/use-cases/set-trust-policy';
import { listTrustEntries } from '../../core/use-cases/trust-entries';
import { listTrustPolicies } from '../../core/use-cases/trust-policies';
import { resolveFromCaller } from '../caller-directory';
import { flagHint, reportFailure } from '../cli-failure';
import { confirmed } from '../confirm';
import { EXIT, type ExitCode } from '../exit-codes';
import type { Output } from '../output';
import { textTable } from '../text-table';

/** Which flag carries each input, for the hint under a refusal. */
const FLAGS: Record<string, string> = {
  type: '--type ca | tsa | signingAuthority | sigstore-key | sigstore-root',
  level: '--level strict | audit | skip',
  trust: '--trust <name> names an entry of commissioner trust list',
  identity: "--identity 'C=US, O=Acme, CN=Release Signing'",
};

/** `trust add <name> --type … <file>`: exit 0 added, 1 the name is taken, 2 a bad name, type or file. */
export function runTrustAdd(
  store: Store,
  name: string,
  file: string,
  options: { type: string; json?: boolean },
  output: Output,
): ExitCode {
  let added;
  try {
    added = addTrustEntry(store, { name, type: options.type, path: resolveFromCaller(file) });
  } catch (e) {
    return reportFailure(output, 'trust add', e, flagHint(output, FLAGS));
  }
  const { entry, warnings } = added;
  if (options.json) output.out(JSON.stringify({ ...entry, warnings }));
  else {
    output.out(`added ${entry.name} (${entry.type}): ${entry.subjects.join('; ')}`);
    output.out(`fingerprint ${entry.fingerprint}`);
  }
  for (const warning of warnings) output.err(`warning: ${warning}`);
  return EXIT.ok;
}

/** `trust list [--json]`. */
export function runTrustList(store: Store, options: { json?: boolean }, output: Output): ExitCode {
  const entries = listTrustEntries(store);
  if (options.json) {
    output.out(JSON.stringify(entries));
    return EXIT.ok;
  }
  if (entries.length === 0) {
    output.out(
      'the trust store is empty: add a certificate with commissioner trust add <name> --type ca <file>',
    );
    return EXIT.ok;
  }
  output.out(
    textTable([
      ['NAME', 'TYPE', 'SUBJECT', 'VALID', 'FINGERPRINT', 'USED BY'],
      ...entries.map((e) => [
        e.name,
        e.type,
        subjectText(e),
        validity(e),
        shortFingerprint(e.fingerprint),
        e.usedBy.join(', ') || '-',
      ]),
    ]),
  );
  return EXIT.ok;
}

/**
 * `trust remove <name> [--yes]`: an entry that policies name is removed (and dropped from them)
 * only after a yes on a terminal or with --yes; without a terminal it is refused (exit 1).
 */
export async function runTrustRemove(
  store: Store,
  name: string,
  options: { yes?: boolean; json?: boolean },
  output: Output,
): Promise<ExitCode> {
  let drop = options.yes === true;
  if (!drop) {
    const entry = listTrustEntries(store).find((e) => e.name.toLowerCase() === name.toLowerCase());
    if (entry && entry.usedBy.length > 0 && process.stdin.isTTY && process.stderr.isTTY) {
      drop = await confirmed(
        `The policies of ${entry.usedBy.join(', ')} trust ${entry.name}. Remove it and drop it from them?`,
        false,
      );
      if (!drop) {
        output.err('commissioner trust remove: nothing removed');
        return EXIT.findings;
      }
    }
  }
  let removed;
  try {
    removed = removeTrustEntry(store, name, { dropFromPolicies: drop });
  } catch (e) {
    return reportFailure(output, 'trust remove', e, (error) => {
      if (error.name === 'refused') output.err('  give --yes to remove it and drop it from them');
      return undefined;
    });
  }
  if (options.json) output.out(JSON.stringify(removed));
  else {
    output.out(
      `removed ${removed.name}${removed.droppedFrom.length ? `; dropped from the policies of ${removed.droppedFrom.join(', ')}` : ''}`,
    );
  }
  for (const scope of removed.trustingNothing) {
    output.err(
      `warning: the policy of ${scope} now trusts no entry: no signature can verify there until you give it one (commissioner trust policy set ${scope} --level … --trust <name>)`,
    );
  }
  return EXIT.ok;
}

/** `trust policy set <scope> --level … [--trust <name>…] [--identity <DN>…]`: exit 2 for bad input. */
export function runTrustPolicySet(
  store: Store,
  scope: string,
  options: { level: string; trust: string[]; identity: string[]; json?: boolean },
  output: Output,
): ExitCode {
  let policy;
  try {
    policy = setTrustPolicy(store, {
      scope,
      level: options.level,
      trust: options.trust,
      identities: options.identity,
    });
  } catch (e) {
    return reportFailure(output, 'trust policy set', e, flagHint(output, FLAGS));
  }
  if (options.json) output.out(JSON.stringify(policy));
  else output.out(`${policyLine(policy.scope)}: ${LEVEL_WORDS[policy.level].toLowerCase()}`);
  return EXIT.ok;
}

/** `trust policy list [--json]`, most specific first. */
export function runTrustPolicyList(
  store: Store,
  options: { json?: boolean },
  output: Output,
): ExitCode {
  const policies = listTrustPolicies(store);
  if (options.json) {
    output.out(JSON.stringify(policies));
    return EXIT.ok;
  }
  if (policies.length === 0) {
    output.out(
      'no trust policies: nothing is checked at import or deploy. Require signatures with commissioner trust policy set "*" --level strict',
    );
    return EXIT.ok;
  }
  output.out(
    textTable([
      ['SCOPE', 'LEVEL', 'TRUSTS', 'IDENTITIES'],
      ...policies.map((p) => [
        p.scope,
        `${p.level} (${LEVEL_WORDS[p.level].toLowerCase()})`,
        p.trust === null ? 'every entry' : p.trust.join(', ') || 'no entry',
        p.identities.join(' | ') || 'any',
      ]),
    ]),
  );
  return EXIT.ok;
}

/** `trust policy remove <scope>`: exit 1 when there is no such policy. */
export function runTrustPolicyRemove(
  store: Store,
  scope: string,
  options: { json?: boolean },
  output: Output,
): ExitCode {
  let removed;
  try {
    removed = removeTrustPolicy(store, scope);
  } catch (e) {
    return reportFailure(output, 'trust policy remove', e);
  }
  if (options.json) output.out(JSON.stringify({ removed: removed.scope }));
  else output.out(`removed the policy of ${removed.scope}`);
  return EXIT.ok;
}

function policyLine(scope: string): string {
  const parsed = parseScope(scope);
  return parsed.ok ? `${scope} (${describeScope(parsed.scope)})` : scope;
}

function subjectText(e: TrustEntryView): string {
  const [first, ...rest] = e.subjects;
  return `${first ?? '-'}${rest.length ? ` (+${rest.length})` : ''}`;
}

function validity(e: TrustEntryView): string {
  if (!e.notBefore || !e.notAfter) return '-';
  return `${e.notBefore.slice(0, 10)}…${e.notAfter.slice(0, 10)}${new Date(e.notAfter) < new Date() ? ' EXPIRED' : ''}`;
}

function shortFingerprint(fingerprint: string): string {
  return `${fingerprint.slice(0, 'sha256:'.length + 16)}…`;
}
