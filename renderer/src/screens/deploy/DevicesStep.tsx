import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Checkbox from '@mui/material/Checkbox';
import Typography from '@mui/material/Typography';
import type { DeployDeviceChoice } from '../../../../shared/contract/deploy';
import { EmptyState } from '../../components/EmptyState';
import { MargoStateWord } from '../../components/MargoStateWord';
import { CheckList, VerdictChip } from '../../components/verdict';
import { plural } from '../../format';
import { useApp } from '../../state/app-state';
import { testIds } from '../../test-ids';

/** What is on the device already: then the deploy is an update of it. */
function InstalledHint({ installed }: { installed: NonNullable<DeployDeviceChoice['installed']> }) {
  return (
    <Typography variant="body2" component="div" sx={{ color: 'text.secondary' }}>
      installed: version {installed.version}, revision {installed.revision}, profile{' '}
      {installed.profile}, <MargoStateWord state={installed.state} /> — deploying updates it
    </Typography>
  );
}

function DeviceRow({
  device,
  checked,
  onToggle,
}: {
  device: DeployDeviceChoice;
  checked: boolean;
  onToggle: (checked: boolean) => void;
}) {
  const disabled = device.disabledReason !== null;
  const why = device.profiles.filter((p) => p.checks.length > 0);
  return (
    // The row is the checkbox's label: a click anywhere on it toggles, and tests that check
    // the row reach its checkbox.
    <Box
      component="label"
      data-testid={testIds.deploy.device(device.name)}
      data-verdict={device.verdict}
      data-disabled={disabled ? 'true' : undefined}
      sx={{
        display: 'flex',
        gap: 1,
        alignItems: 'flex-start',
        p: 1,
        border: 1,
        borderColor: checked ? 'primary.main' : 'divider',
        borderRadius: 1,
        cursor: disabled ? 'not-allowed' : 'pointer',
        opacity: disabled ? 0.8 : 1,
      }}
    >
      <Checkbox
        checked={checked}
        disabled={disabled}
        onChange={(e) => onToggle(e.target.checked)}
        sx={{ p: 0.5 }}
        slotProps={{
          input: {
            'aria-label': device.name,
            'aria-describedby': testIds.deploy.deviceWhy(device.name),
          },
        }}
      />
      <Box sx={{ flex: 1, minWidth: 0 }} id={testIds.deploy.deviceWhy(device.name)}>
        <Box sx={{ display: 'flex', alignItems: 'center', gap: 1, flexWrap: 'wrap' }}>
          <Typography variant="body2" sx={{ fontWeight: 600 }}>
            {device.name}
          </Typography>
          <VerdictChip verdict={device.verdict} />
        </Box>
        {device.installed && <InstalledHint installed={device.installed} />}
        {device.disabledReason && (
          <Typography
            variant="body2"
            sx={{ color: 'error.main' }}
            data-testid={testIds.deploy.deviceDisabled(device.name)}
          >
            Cannot be chosen: {device.disabledReason}
          </Typography>
        )}
        {why.map((p) => (
          <Box key={p.profile} sx={{ mt: 0.25 }}>
            <Typography variant="caption" color="text.secondary">
              profile {p.profile}: {p.verdict}
            </Typography>
            <CheckList checks={p.checks} />
          </Box>
        ))}
      </Box>
    </Box>
  );
}

/** The Devices step: where to deploy, each device with its verdict and why it may not run. */
export function DevicesStep({
  devices,
  chosen,
  onChosen,
}: {
  devices: readonly DeployDeviceChoice[];
  chosen: readonly string[];
  onChosen: (devices: string[]) => void;
}) {
  const { navigate } = useApp();
  if (devices.length === 0) {
    return (
      <EmptyState
        testId={testIds.deploy.devicesEmpty}
        title="No devices yet"
        actions={
          <Button variant="contained" onClick={() => navigate({ screen: 'devices', params: {} })}>
            Add a device
          </Button>
        }
      >
        Add the Docker devices of this line under Devices; they then show here with what they can
        run.
      </EmptyState>
    );
  }
  const choosable = devices.filter((d) => d.disabledReason === null).map((d) => d.name);
  const toggle = (name: string, on: boolean) =>
    onChosen(
      // In the inventory's order, whatever order they were clicked in.
      devices.map((d) => d.name).filter((n) => (n === name ? on : chosen.includes(n))),
    );
  return (
    <Box>
      <Box sx={{ display: 'flex', alignItems: 'center', gap: 1, mb: 1 }}>
        <Typography variant="body2" sx={{ flex: 1 }} aria-live="polite">
          {chosen.length === 0
            ? 'Choose the devices to deploy to.'
            : `${plural(chosen.length, 'device')} chosen.`}{' '}
          {choosable.length < devices.length &&
            `${plural(devices.length - choosable.length, 'device')} cannot run this version.`}
        </Typography>
        <Button
          onClick={() => onChosen(chosen.length === choosable.length ? [] : choosable)}
          disabled={choosable.length === 0}
          data-testid={testIds.deploy.devicesAll}
        >
          {chosen.length === choosable.length && choosable.length > 0
            ? 'Choose none'
            : 'Choose all that can run it'}
        </Button>
      </Box>
      <Box sx={{ display: 'flex', flexDirection: 'column', gap: 1 }} role="group">
        {devices.map((d) => (
          <DeviceRow
            key={d.name}
            device={d}
            checked={chosen.includes(d.name)}
            onToggle={(on) => toggle(d.name, on)}
          />
        ))}
      </Box>
    </Box>
  );
}
