import Box from '@mui/material/Box';
import Chip from '@mui/material/Chip';
import Radio from '@mui/material/Radio';
import RadioGroup from '@mui/material/RadioGroup';
import Typography from '@mui/material/Typography';
import type { DeployForm } from '../../../../shared/contract/deploy';
import { VERDICT_TEXT } from '../../components/verdict';
import { testIds } from '../../test-ids';

type ProfileChoice = DeployForm['profiles'][number];

/** How the chosen devices fare with one profile, and the ones that run another already. */
function ProfileFit({ profile, devices }: { profile: string; devices: DeployForm['devices'] }) {
  const lines = devices.flatMap((d) => {
    const fit = d.profiles.find((p) => p.profile === profile);
    const out: { key: string; color: string; text: string }[] = [];
    if (fit && fit.verdict !== 'compatible') {
      out.push({
        key: `${d.name}-fit`,
        color: `${VERDICT_TEXT[fit.verdict].color}.main`,
        text: `${d.name}: ${VERDICT_TEXT[fit.verdict].word}${fit.checks.length ? ` (${fit.checks.map((c) => c.reason).join('; ')})` : ''}`,
      });
    }
    if (d.installed && d.installed.profile !== profile) {
      out.push({
        key: `${d.name}-installed`,
        color: 'warning.main',
        text: `${d.name} runs profile ${d.installed.profile}: an update keeps its profile; to switch, remove the deployment first.`,
      });
    }
    return out;
  });
  if (lines.length === 0) return null;
  return (
    <Box component="ul" sx={{ m: 0, pl: 2.5, fontSize: 12 }}>
      {lines.map((l) => (
        <Box component="li" key={l.key} sx={{ color: l.color }}>
          {l.text}
        </Box>
      ))}
    </Box>
  );
}

function ProfileRow({
  profile,
  selected,
  devices,
}: {
  profile: ProfileChoice;
  selected: boolean;
  devices: DeployForm['devices'];
}) {
  return (
    <Box
      component="label"
      data-testid={testIds.deploy.profile(profile.id)}
      data-deployable={profile.deployable ? 'true' : 'false'}
      sx={{
        display: 'flex',
        gap: 1,
        alignItems: 'flex-start',
        p: 1,
        border: 1,
        borderColor: selected ? 'primary.main' : 'divider',
        borderRadius: 1,
        cursor: profile.deployable ? 'pointer' : 'not-allowed',
      }}
    >
      <Radio
        value={profile.id}
        disabled={!profile.deployable}
        sx={{ p: 0.5 }}
        slotProps={{ input: { 'aria-label': profile.id } }}
      />
      <Box sx={{ flex: 1, minWidth: 0 }}>
        <Box sx={{ display: 'flex', alignItems: 'center', gap: 1 }}>
          <Typography variant="body2" sx={{ fontWeight: 600 }}>
            {profile.id}
          </Typography>
          <Chip label={profile.type} color="primary" variant="outlined" />
        </Box>
        {profile.description && (
          <Typography variant="body2" color="text.secondary">
            {profile.description}
          </Typography>
        )}
        {!profile.deployable && (
          <Typography variant="body2" sx={{ color: 'text.secondary', fontStyle: 'italic' }}>
            Cannot be deployed from here: Commissioner deploys compose profiles, and this one is{' '}
            {profile.type}.
          </Typography>
        )}
        {profile.deployable && <ProfileFit profile={profile.id} devices={devices} />}
      </Box>
    </Box>
  );
}

/** The Profile step: which of the app's deployment profiles to deploy. */
export function ProfileStep({
  form,
  chosenDevices,
  profile,
  onProfile,
}: {
  form: DeployForm;
  chosenDevices: readonly string[];
  profile: string | null;
  onProfile: (profile: string) => void;
}) {
  const devices = form.devices.filter((d) => chosenDevices.includes(d.name));
  return (
    <Box>
      <Typography variant="body2" sx={{ mb: 1 }}>
        {form.profile
          ? 'The profile that fits is chosen; you may choose another.'
          : 'Choose the deployment profile to deploy.'}
      </Typography>
      <RadioGroup
        value={profile ?? ''}
        onChange={(e) => onProfile(e.target.value)}
        aria-label="Deployment profile"
        sx={{ gap: 1 }}
      >
        {form.profiles.map((p) => (
          <ProfileRow key={p.id} profile={p} selected={p.id === profile} devices={devices} />
        ))}
      </RadioGroup>
    </Box>
  );
}
