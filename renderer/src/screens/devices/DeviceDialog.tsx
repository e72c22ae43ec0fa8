import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Checkbox from '@mui/material/Checkbox';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import FormControlLabel from '@mui/material/FormControlLabel';
import Switch from '@mui/material/Switch';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useState, type FormEvent } from 'react';
import type { ContractError } from '../../../../shared/contract/contract-error';
import type { AddDevice, AddedDevice, DeviceView } from '../../../../shared/contract/devices';
import type { PickedFile } from '../../../../shared/contract/picked-file';
import type { DescribedCapabilities } from '../../../../shared/devices/described-capabilities';
import {
  DeviceName,
  normalizeSshFingerprint,
  parseDockerHost,
} from '../../../../shared/devices/device-connection';
import { ErrorAlert } from '../../components/ErrorAlert';
import { FilePick } from '../../components/FilePick';
import { useApp } from '../../state/app-state';
import { asContractError } from '../../transport/contract-check';
import {
  hostKeyText,
  INTERFACES,
  PERIPHERALS,
  checkStorage,
  interfacesText,
  labelsText,
  parseInterfaces,
  parseLabels,
  parsePeripherals,
  peripheralsText,
} from './device-text';
import { testIds } from '../../test-ids';

interface Form {
  name: string;
  host: string;
  plainTcp: boolean;
  ca: PickedFile | null;
  cert: PickedFile | null;
  key: PickedFile | null;
  identity: PickedFile | null;
  sshFingerprint: string;
  sshAgent: boolean;
  labels: string;
  vendor: string;
  model: string;
  serial: string;
  storage: string;
  peripherals: string;
  interfaces: string;
}

type Errors = Partial<Record<keyof Form | 'tls', string>>;

function initialForm(device: DeviceView | null): Form {
  const d = device?.described ?? {};
  return {
    name: device?.name ?? '',
    host: '',
    plainTcp: false,
    ca: null,
    cert: null,
    key: null,
    identity: null,
    sshFingerprint: '',
    sshAgent: false,
    labels: device ? labelsText(device.labels) : '',
    vendor: d.vendor ?? '',
    model: d.modelNumber ?? '',
    serial: d.serialNumber ?? '',
    storage: d.storage ?? '',
    peripherals: peripheralsText(d.peripherals),
    interfaces: interfacesText(d.interfaces),
  };
}

/** Adding a Docker device (connection, keys, labels, what it has), or editing one's labels and description. */
export function DeviceDialog({
  open,
  device,
  onClose,
  onSaved,
}: {
  open: boolean;
  /** null: add a device; otherwise edit this one's labels and description. */
  device: DeviceView | null;
  onClose: () => void;
  onSaved: (device: DeviceView) => void;
}) {
  const { transport } = useApp();
  const editing = device !== null;
  const [form, setForm] = useState<Form>(() => initialForm(device));
  const [errors, setErrors] = useState<Errors>({});
  const [failure, setFailure] = useState<ContractError | null>(null);
  const [busy, setBusy] = useState(false);
  /** The device just added, when there is something to show before closing. */
  const [added, setAdded] = useState<AddedDevice | null>(null);
  const set = (patch: Partial<Form>) => setForm((f) => ({ ...f, ...patch }));

  const parsedHost = form.host.trim() ? parseDockerHost(form.host) : null;
  const protocol = parsedHost?.ok ? parsedHost.connection.protocol : null;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setFailure(null);
    const errs: Errors = {};
    const labels = parseLabels(form.labels);
    if (!labels.ok) errs.labels = labels.message;
    const peripherals = parsePeripherals(form.peripherals);
    if (!peripherals.ok) errs.peripherals = peripherals.message;
    const interfaces = parseInterfaces(form.interfaces);
    if (!interfaces.ok) errs.interfaces = interfaces.message;
    const storage = checkStorage(form.storage);
    if (storage) errs.storage = storage;
    if (!editing) {
      const name = DeviceName.safeParse(form.name);
      if (!name.success) errs.name = name.error.issues[0]?.message ?? 'not a device name';
      if (!parsedHost)
        errs.host = 'Write how to reach the Docker Engine, e.g. tcp://10.0.7.42:2376';
      else if (!parsedHost.ok) errs.host = parsedHost.message;
      if (protocol === 'tcp' && !form.plainTcp && !(form.ca && form.cert && form.key)) {
        errs.tls = 'choose the CA, the certificate and the key (or tick plain TCP)';
      }
      if (protocol === 'ssh' && !form.identity && !form.sshAgent) {
        errs.identity = 'choose the SSH key, or let this computer’s SSH agent log in';
      }
      if (
        protocol === 'ssh' &&
        form.sshFingerprint.trim() &&
        !normalizeSshFingerprint(form.sshFingerprint)
      ) {
        errs.sshFingerprint = 'a fingerprint looks like SHA256: followed by 43 characters';
      }
    }
    setErrors(errs);
    if (Object.keys(errs).length > 0 || !labels.ok || !peripherals.ok || !interfaces.ok) return;

    const described: DescribedCapabilities = {
      ...(form.vendor.trim() ? { vendor: form.vendor.trim() } : {}),
      ...(form.model.trim() ? { modelNumber: form.model.trim() } : {}),
      ...(form.serial.trim() ? { serialNumber: form.serial.trim() } : {}),
      ...(form.storage.trim() ? { storage: form.storage.trim() } : {}),
      ...(peripherals.value !== undefined ? { peripherals: peripherals.value } : {}),
      ...(interfaces.value !== undefined ? { interfaces: interfaces.value } : {}),
    };
    setBusy(true);
    try {
      let saved: DeviceView;
      if (editing) {
        saved = await transport.call('devices.update', {
          name: device.name,
          labels: labels.value,
          described,
        });
      } else {
        const request: AddDevice = {
          name: form.name,
          host: form.host.trim(),
          ...(protocol === 'tcp' && !form.plainTcp && form.ca && form.cert && form.key
            ? { tls: { ca: form.ca.token, cert: form.cert.token, key: form.key.token } }
            : {}),
          ...(protocol === 'tcp' && form.plainTcp ? { plainTcp: true } : {}),
          ...(protocol === 'ssh' && form.identity ? { identity: form.identity.token } : {}),
          ...(protocol === 'ssh' && form.sshFingerprint.trim()
            ? { sshHostKeyFingerprint: form.sshFingerprint.trim() }
            : {}),
          ...(protocol === 'ssh' && form.sshAgent ? { sshAgent: true } : {}),
          ...(Object.keys(labels.value).length ? { labels: labels.value } : {}),
          ...(Object.keys(described).length ? { described } : {}),
        };
        const result = await transport.call('devices.add', request);
        const key = result.connection.sshHostKey;
        if (result.warnings.length > 0 || key?.accepted === 'first-use') {
          // The engineer sees what was accepted or may not work before the dialog closes.
          setBusy(false);
          setAdded(result);
          return;
        }
        saved = result;
      }
      setBusy(false);
      onSaved(saved);
    } catch (err) {
      setBusy(false);
      setFailure(asContractError(err));
    }
  };

  if (added) {
    const key = added.connection.sshHostKey;
    return (
      <Dialog
        open={open}
        onClose={() => onSaved(added)}
        maxWidth="sm"
        fullWidth
        data-testid={testIds.devices.added}
        aria-labelledby={testIds.devices.dialogTitle(false)}
      >
        <DialogTitle id={testIds.devices.dialogTitle(false)}>{added.name} added</DialogTitle>
        <DialogContent sx={{ display: 'flex', flexDirection: 'column', gap: 1.5 }}>
          {key && (
            <Alert
              severity={key.accepted === 'first-use' ? 'info' : 'success'}
              data-testid={testIds.devices.addedHostKey}
            >
              The device’s SSH host key is <code>{hostKeyText(key).key}</code>:{' '}
              {hostKeyText(key).how}. Every connection checks it from now on; if it ever changes,
              the device is refused until you remove it and add it again.
            </Alert>
          )}
          {added.warnings.length > 0 && (
            <Alert severity="warning" data-testid={testIds.devices.addedWarnings}>
              {added.warnings.map((w) => (
                <Typography key={w} variant="body2">
                  {w}
                </Typography>
              ))}
            </Alert>
          )}
        </DialogContent>
        <DialogActions>
          <Button
            variant="contained"
            onClick={() => onSaved(added)}
            data-testid={testIds.devices.addedDone}
          >
            Done
          </Button>
        </DialogActions>
      </Dialog>
    );
  }

  const text = (
    key: keyof Form,
    label: string,
    props: { placeholder?: string; helper?: string; multiline?: boolean; flex?: string } = {},
  ) => (
    <TextField
      label={label}
      value={form[key] as string}
      onChange={(e) => set({ [key]: e.target.value } as Partial<Form>)}
      placeholder={props.placeholder}
      error={errors[key] !== undefined}
      helperText={errors[key] ?? props.helper}
      multiline={props.multiline}
      minRows={props.multiline ? 2 : undefined}
      sx={{ flex: props.flex ?? '1 1 200px' }}
      slotProps={{
        htmlInput: { 'data-testid': testIds.devices.dialogField(editing, key), spellCheck: false },
      }}
    />
  );

  return (
    <Dialog
      open={open}
      onClose={busy ? undefined : onClose}
      maxWidth="md"
      fullWidth
      data-testid={testIds.devices.dialog(editing)}
      aria-labelledby={testIds.devices.dialogTitle(editing)}
    >
      <Box component="form" onSubmit={submit} noValidate>
        <DialogTitle id={testIds.devices.dialogTitle(editing)}>
          {editing ? `Edit ${device.name}` : 'Add a Docker device'}
        </DialogTitle>
        <DialogContent sx={{ display: 'flex', flexDirection: 'column', gap: 1.5 }}>
          {!editing && (
            <>
              <Box sx={{ display: 'flex', gap: 1.5, flexWrap: 'wrap', pt: 0.5 }}>
                {text('name', 'Name', { placeholder: 'press-42', flex: '1 1 160px' })}
                {text('host', 'Docker host', {
                  placeholder: 'tcp://10.0.7.42:2376',
                  helper: 'tcp://host:2376 (TLS), ssh://user@host, or unix:///var/run/docker.sock',
                  flex: '2 1 300px',
                })}
              </Box>
              {protocol === 'tcp' && (
                <Box sx={{ display: 'flex', flexDirection: 'column', gap: 1 }}>
                  <Typography variant="subtitle2">Mutual TLS</Typography>
                  {!form.plainTcp && (
                    <>
                      <FilePick
                        label="CA certificate"
                        purpose="tls-ca"
                        value={form.ca}
                        onChange={(ca) => set({ ca })}
                        testId={testIds.devices.addTlsCa}
                        error={errors.tls && !form.ca ? 'required' : undefined}
                      />
                      <FilePick
                        label="Client certificate"
                        purpose="tls-cert"
                        value={form.cert}
                        onChange={(cert) => set({ cert })}
                        testId={testIds.devices.addTlsCert}
                        error={errors.tls && !form.cert ? 'required' : undefined}
                      />
                      <FilePick
                        label="Client key"
                        purpose="tls-key"
                        value={form.key}
                        onChange={(key) => set({ key })}
                        testId={testIds.devices.addTlsKey}
                        error={errors.tls && !form.key ? 'required' : undefined}
                      />
                      {errors.tls && (
                        <Typography variant="body2" color="error">
                          {errors.tls}
                        </Typography>
                      )}
                    </>
                  )}
                  <FormControlLabel
                    control={
                      <Checkbox
                        checked={form.plainTcp}
                        onChange={(e) => set({ plainTcp: e.target.checked })}
                        slotProps={{
                          input: { 'data-testid': testIds.devices.addPlainTcp } as object,
                        }}
                      />
                    }
                    label="Plain TCP, without TLS"
                  />
                  {form.plainTcp && (
                    <Alert severity="warning" data-testid={testIds.devices.addPlainTcpWarning}>
                      Without TLS, anyone on this network can control the device’s Docker Engine
                      (and so the device). Use it only on an isolated test bench.
                    </Alert>
                  )}
                </Box>
              )}
              {protocol === 'ssh' && (
                <Box sx={{ display: 'flex', flexDirection: 'column', gap: 1 }}>
                  <Typography variant="subtitle2">SSH</Typography>
                  <FilePick
                    label="SSH key"
                    purpose="ssh-identity"
                    value={form.identity}
                    onChange={(identity) => set({ identity })}
                    testId={testIds.devices.addIdentity}
                    error={errors.identity && !form.identity ? 'required' : undefined}
                  />
                  <FormControlLabel
                    control={
                      <Switch
                        checked={form.sshAgent}
                        onChange={(e) => set({ sshAgent: e.target.checked })}
                        slotProps={{
                          input: { 'data-testid': testIds.devices.addSshAgent } as object,
                        }}
                      />
                    }
                    label="Let this computer’s SSH agent log in to the device"
                  />
                  {errors.identity && (
                    <Typography variant="body2" color="error">
                      {errors.identity}
                    </Typography>
                  )}
                  <TextField
                    label="Host key fingerprint (optional)"
                    value={form.sshFingerprint}
                    onChange={(e) => set({ sshFingerprint: e.target.value })}
                    placeholder="SHA256:…"
                    error={errors.sshFingerprint !== undefined}
                    helperText={
                      errors.sshFingerprint ??
                      'From the device’s administrator or its screen. Left empty, the key the device shows now is accepted, and shown to you to compare.'
                    }
                    slotProps={{
                      htmlInput: {
                        'data-testid': testIds.devices.addSshFingerprint,
                        spellCheck: false,
                      },
                    }}
                  />
                </Box>
              )}
            </>
          )}
          {text('labels', 'Labels', {
            placeholder: 'line=3\nzone=paint',
            helper: 'key=value, one per line or separated by commas; apps can require them',
            multiline: true,
            flex: '1 1 auto',
          })}
          <Typography variant="subtitle2" sx={{ mt: 0.5 }}>
            What the device has (what no Docker probe can tell)
          </Typography>
          <Typography variant="body2" color="text.secondary" sx={{ mt: -1 }}>
            Leave a field empty when you do not know: checks on it stay “unknown”, never a silent
            pass or fail.
          </Typography>
          <Box sx={{ display: 'flex', gap: 1.5, flexWrap: 'wrap' }}>
            {text('vendor', 'Vendor', { placeholder: 'Siemens' })}
            {text('model', 'Model', {})}
            {text('serial', 'Serial number', {})}
            {text('storage', 'Storage', { placeholder: '200Gi', flex: '0 1 140px' })}
          </Box>
          <Box sx={{ display: 'flex', gap: 1.5, flexWrap: 'wrap' }}>
            {text('peripherals', 'Peripherals', {
              placeholder: 'gpu:NVIDIA:T4, camera',
              helper: `type[:manufacturer[:model]], or “none”; types: ${PERIPHERALS.join(', ')}`,
              flex: '1 1 300px',
            })}
            {text('interfaces', 'Interfaces', {
              placeholder: 'ethernet, usb',
              helper: `or “none”; types: ${INTERFACES.join(', ')}`,
              flex: '1 1 300px',
            })}
          </Box>
          {failure && <ErrorAlert error={failure} testId={testIds.devices.dialogError(editing)} />}
        </DialogContent>
        <DialogActions>
          <Button
            onClick={onClose}
            disabled={busy}
            data-testid={testIds.devices.dialogCancel(editing)}
          >
            Cancel
          </Button>
          <Button
            type="submit"
            variant="contained"
            disabled={busy}
            data-testid={testIds.devices.dialogSubmit(editing)}
          >
            {busy ? 'Saving…' : editing ? 'Save' : 'Add device'}
          </Button>
        </DialogActions>
      </Box>
    </Dialog>
  );
}
