import Box from '@mui/material/Box';
import FormControlLabel from '@mui/material/FormControlLabel';
import Paper from '@mui/material/Paper';
import Radio from '@mui/material/Radio';
import RadioGroup from '@mui/material/RadioGroup';
import Typography from '@mui/material/Typography';
import { useEffect } from 'react';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useApp } from '../../state/app-state';
import type { Density } from '../../density';
import type { ThemeMode } from '../../theme';
import { testIds } from '../../test-ids';
import { AccountSettings } from './AccountSettings';
import { BackupSettings } from './BackupSettings';
import { DeploymentSettings } from './DeploymentSettings';
import { MargoSettings } from './MargoSettings';
import { TrustSettings } from './TrustSettings';

const DENSITIES: { value: Density; label: string }[] = [
  { value: 'standard', label: 'Standard' },
  { value: 'touch', label: 'Touch' },
];

export function SettingsScreen({
  mode,
  onMode,
  density = 'standard',
  onDensity = () => {},
}: {
  mode: ThemeMode;
  onMode: (mode: ThemeMode) => void;
  density?: Density;
  onDensity?: (density: Density) => void;
}) {
  const { info, infoError, reportScreenLoaded, may } = useApp();
  useEffect(() => {
    if (info || infoError) reportScreenLoaded();
  }, [info, infoError, reportScreenLoaded]);
  return (
    <Box data-testid={testIds.settings.screen} sx={{ p: 2, overflowY: 'auto', height: '100%' }}>
      <Typography variant="h5" component="h1" gutterBottom>
        Settings
      </Typography>
      <Paper variant="outlined" sx={{ p: 1.5, mb: 2, maxWidth: 560 }}>
        <Typography variant="subtitle2" component="h2" id="settings-theme-label">
          Theme
        </Typography>
        <RadioGroup
          row
          aria-labelledby="settings-theme-label"
          value={mode}
          onChange={(e) => onMode(e.target.value as ThemeMode)}
          data-testid={testIds.settings.theme}
        >
          <FormControlLabel value="light" control={<Radio />} label="Light" />
          <FormControlLabel value="dark" control={<Radio />} label="Dark" />
        </RadioGroup>
        <Typography variant="subtitle2" component="h2" id="settings-density-label" sx={{ mt: 1 }}>
          Control size
        </Typography>
        <RadioGroup
          row
          aria-labelledby="settings-density-label"
          aria-describedby="settings-density-help"
          value={density}
          onChange={(e) => onDensity(e.target.value as Density)}
          data-testid={testIds.settings.density}
        >
          {DENSITIES.map(({ value, label }) => (
            <FormControlLabel
              key={value}
              value={value}
              control={
                <Radio
                  slotProps={{
                    input: { 'data-testid': testIds.settings.densityOption(value) } as object,
                  }}
                />
              }
              label={label}
            />
          ))}
        </RadioGroup>
        <Typography variant="body2" color="text.secondary" id="settings-density-help">
          Touch makes every button and field at least 44 pixels high, for fingers and gloves. This
          browser remembers it.
        </Typography>
      </Paper>
      <DeploymentSettings />
      {/* A backup holds the plant's keys: making or restoring one is an admin's. */}
      {may('backups.create') && <BackupSettings />}
      <Box sx={{ maxWidth: 1100 }}>
        <MargoSettings />
        <TrustSettings />
        <AccountSettings />
      </Box>
      <Paper variant="outlined" sx={{ p: 1.5, maxWidth: 560 }}>
        <Typography variant="subtitle2" component="h2" gutterBottom>
          About
        </Typography>
        {infoError && <ErrorAlert error={infoError} testId={testIds.settings.infoError} />}
        {info && (
          <Box
            component="dl"
            sx={{
              m: 0,
              display: 'grid',
              gridTemplateColumns: 'max-content 1fr',
              columnGap: 2,
              fontSize: 13,
              '& dt': { color: 'text.secondary' },
              '& dd': { m: 0 },
            }}
          >
            <dt>Version</dt>
            <dd data-testid={testIds.settings.version}>{info.version}</dd>
            <dt>Running as</dt>
            <dd>{info.host === 'electron' ? 'the desktop app' : 'the browser host'}</dd>
            <dt>Demo kit</dt>
            <dd>
              {info.demoKit.available
                ? info.demoKit.imported
                  ? 'imported'
                  : 'available (Import screen)'
                : 'not shipped with this build'}
            </dd>
          </Box>
        )}
      </Paper>
    </Box>
  );
}
