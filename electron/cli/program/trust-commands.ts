import type { runTrustVerify } from '../commands/trust-verify';
import type { runTrustVerifyEnvelope } from '../commands/trust-verify-envelope';
import type { runTrustVerifyBundle } from '../commands/trust-verify-bundle';
import type {
  runTrustAdd,
  runTrustList,
  runTrustRemove,
  runTrustPolicyList,
  runTrustPolicyRemove,
  runTrustPolicySet,
} from '../commands/trust-store';
import { collect, type Command, type CommandContext } from './command-context';

/**
 * `trust`: the laptop's trust store and policy, and verification of signatures without
 * importing anything. `verify*` exit 0 when every artifact with signatures is verified,
 * 1 otherwise, 2 for usage errors.
 */
export function registerTrustCommands(
  program: Command,
  { output, setExit, withStore }: CommandContext,
): void {
  const trust = program
    .command('trust')
    .description('who the laptop trusts to sign packages, and checking signatures offline');

  trust
    .command('verify')
    .description(
      'verify the Notary Project signatures in an OCI layout folder or kit archive (optionally @<manifest-digest>)',
    )
    .argument('<layout>', 'a layout folder or kit archive, optionally followed by @sha256:…')
    .option(
      '--trust-store <dir>',
      'a Notary trust store folder (ca/, tsa/, signingAuthority/) instead of the laptop trust store',
    )
    .option('--json', 'print [{artifact, verdict, signatures}] on stdout')
    .action(async (target: string, options: Parameters<typeof runTrustVerify>[1]) => {
      const { runTrustVerify } = await import('../commands/trust-verify');
      if (options.trustStore) setExit(await runTrustVerify(target, options, output));
      else await withStore((store) => runTrustVerify(target, options, output, store));
    });

  trust
    .command('verify-envelope')
    .description('verify one Notary Project JWS or COSE signature envelope against a target')
    .argument('<file>', 'the envelope file')
    .requiredOption('--target <descriptor>', 'the signed artifact as <mediaType>@<digest>:<size>')
    .option(
      '--trust-store <dir>',
      'a Notary trust store folder (ca/, tsa/, signingAuthority/) instead of the laptop trust store',
    )
    .option('--json', 'print {artifact, verdict, signatures} on stdout')
    .action(async (file: string, options: Parameters<typeof runTrustVerifyEnvelope>[1]) => {
      const { runTrustVerifyEnvelope } = await import('../commands/trust-verify-envelope');
      if (options.trustStore) setExit(await runTrustVerifyEnvelope(file, options, output));
      else await withStore((store) => runTrustVerifyEnvelope(file, options, output, store));
    });

  // commander keeps only the last of --artifact / --no-artifact: count them to refuse both.
  let artifactFlags = 0;
  trust
    .command('verify-bundle')
    .on('option:artifact', () => artifactFlags++)
    .on('option:no-artifact', () => artifactFlags++)
    .description('verify one Sigstore bundle offline, with a key or a provisioned trusted root')
    .argument('<bundle>', 'the bundle (.sigstore.json)')
    .option('--artifact <file>', 'the signed artifact')
    .option('--no-artifact', 'verify without the artifact (its digest is taken from the bundle)')
    .option('--key <pem>', 'the public key the bundle was signed with')
    .option('--trusted-root <json>', 'a Sigstore trusted_root.json provisioned for this site')
    .option('--identity <san>', 'required certificate identity (subject alternative name)')
    .option('--issuer <url>', 'required certificate OIDC issuer')
    .option('--json', 'print {artifact, verdict, signatures} on stdout')
    .action(async (bundle: string, options: Parameters<typeof runTrustVerifyBundle>[1]) => {
      const { runTrustVerifyBundle } = await import('../commands/trust-verify-bundle');
      options = { ...options, artifactFlagsConflict: artifactFlags > 1 };
      if (options.key || options.trustedRoot)
        setExit(await runTrustVerifyBundle(bundle, options, output));
      else await withStore((store) => runTrustVerifyBundle(bundle, options, output, store));
    });

  trust
    .command('add')
    .description('add a certificate, timestamp authority, Sigstore key or trusted root')
    .argument('<name>', 'a short name for the entry')
    .argument('<file>', 'PEM or DER certificate(s), a PEM public key, or a trusted_root.json')
    .requiredOption('--type <type>', 'ca | tsa | signingAuthority | sigstore-key | sigstore-root')
    .option('--json', 'print the entry added as JSON')
    .action(async (name: string, file: string, options: Parameters<typeof runTrustAdd>[3]) => {
      const { runTrustAdd } = await import('../commands/trust-store');
      await withStore((store) => runTrustAdd(store, name, file, options, output));
    });

  trust
    .command('list')
    .description('the trust store: entries, their certificates and validity')
    .option('--json', 'print the entries as JSON')
    .action(async (options: Parameters<typeof runTrustList>[1]) => {
      const { runTrustList } = await import('../commands/trust-store');
      await withStore((store) => runTrustList(store, options, output));
    });

  trust
    .command('remove')
    .description('remove an entry from the trust store')
    .argument('<name>', 'the entry')
    .option('--yes', 'do not ask for confirmation when policies name the entry')
    .option('--json', 'print the result as JSON')
    .action(async (name: string, options: Parameters<typeof runTrustRemove>[2]) => {
      const { runTrustRemove } = await import('../commands/trust-store');
      await withStore((store) => runTrustRemove(store, name, options, output));
    });

  const policy = trust
    .command('policy')
    .description('which signatures import and deploy require, per scope');
  policy
    .command('set')
    .description(
      'set the policy of a scope: an application id pattern, org:<organization>, a registry/repository, or *',
    )
    .argument('<scope>', 'application id pattern, org:<name>, registry/repository, or *')
    .requiredOption('--level <level>', 'strict | audit | skip')
    .option(
      '--trust <name>',
      'a trust-store entry this scope trusts (repeat; default: all)',
      collect,
      [],
    )
    .option(
      '--identity <subject DN>',
      'a signer subject this scope trusts (repeat; default: any)',
      collect,
      [],
    )
    .option('--json', 'print the policy as JSON')
    .action(async (scope: string, options: Parameters<typeof runTrustPolicySet>[2]) => {
      const { runTrustPolicySet } = await import('../commands/trust-store');
      await withStore((store) => runTrustPolicySet(store, scope, options, output));
    });
  policy
    .command('list')
    .description('the trust policies, most specific first')
    .option('--json', 'print the policies as JSON')
    .action(async (options: Parameters<typeof runTrustPolicyList>[1]) => {
      const { runTrustPolicyList } = await import('../commands/trust-store');
      await withStore((store) => runTrustPolicyList(store, options, output));
    });
  policy
    .command('remove')
    .description("remove a scope's policy")
    .argument('<scope>', 'the scope as set')
    .option('--json', 'print the result as JSON')
    .action(async (scope: string, options: Parameters<typeof runTrustPolicyRemove>[2]) => {
      const { runTrustPolicyRemove } = await import('../commands/trust-store');
      await withStore((store) => runTrustPolicyRemove(store, scope, options, output));
    });
}
