import Box from '@mui/material/Box';
import Typography from '@mui/material/Typography';
import type { ArtifactTrust } from '../../../shared/contract/trust';
import {
  FORMAT_WORDS,
  artifactWords,
  failedCheck,
  policyWords,
  shortDigest,
  shortDigests,
} from '../../../shared/trust/artifact-trust-words';
import { dateTime, plural } from '../format';
import { TrustBadge } from './TrustBadge';

function Fact({ label, children }: { label: string; children: string }) {
  return (
    <>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </>
  );
}

function headline(artifact: ArtifactTrust): string {
  const words = shortDigests(artifactWords(artifact));
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/**
 * Signature verdicts, one block per artifact (the package version, each compose component,
 * each image): the verdict in words, who signed it and who vouches for them, when, or the
 * check that failed; the policy over it; the digest, shortened, on a details line.
 */
export function SignatureList({
  signatures,
  testId,
}: {
  signatures: readonly ArtifactTrust[];
  testId: (digest: string) => string;
}) {
  return (
    <Box component="ul" sx={{ m: 0, p: 0, listStyle: 'none' }}>
      {signatures.map((s, i) => {
        const found = s.signatures?.length ?? 0;
        const details = [
          shortDigest(s.artifact),
          s.format ? FORMAT_WORDS[s.format] : null,
          found > 1 ? `${plural(found, 'signature')} found` : null,
        ].filter(Boolean);
        return (
          <Box
            component="li"
            key={`${s.artifact}-${i}`}
            data-testid={testId(s.artifact)}
            data-verdict={s.verdict}
            data-kind={s.kind}
            data-policy={s.policy.level}
            sx={{ py: 0.75, '& + li': { borderTop: 1, borderColor: 'divider' } }}
          >
            <Box sx={{ display: 'flex', gap: 1, alignItems: 'center', flexWrap: 'wrap' }}>
              <TrustBadge verdict={s.verdict} small />
              <Typography variant="body2" sx={{ fontWeight: 600, overflowWrap: 'anywhere' }}>
                {headline(s)}
              </Typography>
            </Box>
            <Box
              component="dl"
              sx={{
                m: 0,
                mt: 0.5,
                display: 'grid',
                gridTemplateColumns: 'max-content 1fr',
                columnGap: 1.5,
                fontSize: 13,
                '& dt': { color: 'text.secondary' },
                '& dd': { m: 0, overflowWrap: 'anywhere' },
              }}
            >
              {s.verdict === 'verified' ? (
                <>
                  {s.signer && <Fact label="Signed by">{s.signer}</Fact>}
                  {s.trustedBy && <Fact label="Trusted by">{s.trustedBy}</Fact>}
                  {s.signedAt && <Fact label="Signed at">{dateTime(s.signedAt)}</Fact>}
                  {s.timestampedAt && (
                    <Fact label="Timestamped at">{dateTime(s.timestampedAt)}</Fact>
                  )}
                </>
              ) : (
                <>
                  <Fact label="Why">{shortDigests(failedCheck(s))}</Fact>
                  {s.signer && <Fact label="Claimed signer">{s.signer}</Fact>}
                </>
              )}
              <Fact label="Policy">{policyWords(s.policy)}</Fact>
            </Box>
            <Typography variant="caption" color="text.secondary" component="div">
              {details.join(' · ')}
            </Typography>
          </Box>
        );
      })}
    </Box>
  );
}
