import GppBadIcon from '@mui/icons-material/GppBadOutlined';
import RemoveModeratorIcon from '@mui/icons-material/RemoveModeratorOutlined';
import VerifiedUserIcon from '@mui/icons-material/VerifiedUserOutlined';
import Chip from '@mui/material/Chip';
import type { ReactElement } from 'react';
import type { ArtifactVerdict } from '../../../shared/contract/trust';
import { VERDICT_WORDS } from '../../../shared/trust/artifact-trust-words';

const LOOK: Record<
  ArtifactVerdict,
  { color: 'success' | 'default' | 'error'; icon: ReactElement; explain: string }
> = {
  verified: {
    color: 'success',
    icon: <VerifiedUserIcon />,
    explain: 'Its signature verifies against the trust store',
  },
  unsigned: {
    color: 'default',
    icon: <RemoveModeratorIcon />,
    explain: 'It carries no signature: who made it is not known',
  },
  invalid: {
    color: 'error',
    icon: <GppBadIcon />,
    explain: 'It is signed, but the signature does not verify',
  },
};

/** A signature verdict as a word, an icon and a colour (never colour alone). */
export function TrustBadge({
  verdict,
  testId,
  small,
}: {
  verdict: ArtifactVerdict;
  testId?: string | undefined;
  small?: boolean;
}) {
  const look = LOOK[verdict];
  return (
    <Chip
      icon={look.icon}
      label={VERDICT_WORDS[verdict]}
      color={look.color}
      variant="outlined"
      size={small ? 'small' : 'medium'}
      title={look.explain}
      data-testid={testId}
      data-verdict={verdict}
      sx={small ? { height: 20, '& .MuiChip-icon': { fontSize: 14 } } : undefined}
    />
  );
}
