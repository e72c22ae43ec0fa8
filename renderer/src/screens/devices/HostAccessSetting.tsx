import FormControlLabel from '@mui/material/FormControlLabel';
import Radio from '@mui/material/Radio';
import RadioGroup from '@mui/material/RadioGroup';
import Typography from '@mui/material/Typography';
import { useEffect, useState } from 'react';
import type { ContractError } from '../../../../shared/contract/contract-error';
import type { DeviceView } from '../../../../shared/contract/devices';
import { ErrorAlert } from '../../components/ErrorAlert';
import { onlyWho } from '../../components/role-text';
import { useApp } from '../../state/app-state';
import { asContractError } from '../../transport/contract-check';
import { testIds } from '../../test-ids';

/**
 * Whether applications that need the device itself (privileged containers, the Docker socket,
 * its system folders) may run on it. Saved at once; the inventory's change refreshes the views.
 */
export function HostAccessSetting({ device }: { device: DeviceView }) {
  const { transport, may } = useApp();
  // A role that may not change devices sees the setting, not a choice.
  const locked = !may('devices.update');
  const [saving, setSaving] = useState(false);
  const [failure, setFailure] = useState<ContractError | null>(null);
  // The choice shows at once; the inventory's answer (a refreshed device) replaces it.
  const [chosen, setChosen] = useState<'allow' | 'deny' | null>(null);
  useEffect(() => setChosen(null), [device.hostAccess]);
  const change = async (hostAccess: 'allow' | 'deny') => {
    setChosen(hostAccess);
    setSaving(true);
    setFailure(null);
    try {
      await transport.call('devices.update', { name: device.name, hostAccess });
    } catch (e) {
      setChosen(null);
      setFailure(asContractError(e));
    } finally {
      setSaving(false);
    }
  };
  return (
    <>
      <RadioGroup
        value={chosen ?? device.hostAccess}
        onChange={(e) => void change(e.target.value === 'deny' ? 'deny' : 'allow')}
        data-testid={testIds.devices.hostAccess}
        data-value={device.hostAccess}
        aria-label="Access of applications to the device itself"
      >
        <FormControlLabel
          value="allow"
          disabled={saving || locked}
          control={<Radio size="small" />}
          label="Allow, when I allow it for each deployment"
        />
        <FormControlLabel
          value="deny"
          disabled={saving || locked}
          control={<Radio size="small" />}
          label="Deny: applications that need it are incompatible with this device"
        />
      </RadioGroup>
      <Typography variant="caption" color="text.secondary" component="div">
        Host access: running privileged, using the Docker socket, mounting the device’s own folders,
        devices or kernel settings.{locked && ` ${onlyWho('devices.update', 'changes it')}`}
      </Typography>
      {failure && (
        <ErrorAlert
          error={failure}
          title="The setting was not saved"
          testId={testIds.devices.hostAccessError}
        />
      )}
    </>
  );
}
