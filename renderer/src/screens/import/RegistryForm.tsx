import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Checkbox from '@mui/material/Checkbox';
import FormControlLabel from '@mui/material/FormControlLabel';
import Paper from '@mui/material/Paper';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import Alert from '@mui/material/Alert';
import { useState, type FormEvent } from 'react';
import type { ContractError } from '../../../../shared/contract/contract-error';
import { ImportSourceRequest } from '../../../../shared/contract/imports';
import type { PickedFile } from '../../../../shared/contract/picked-file';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useApp } from '../../state/app-state';
import { asContractError } from '../../transport/contract-check';
import { testIds } from '../../test-ids';

/** A plant registry: `oci://host[:port]/repo[:tag]`, its trust and credentials. */
export function RegistryForm({ onStarted }: { onStarted: (jobId: string) => void }) {
  const { transport, startImport } = useApp();
  const [reference, setReference] = useState('');
  const [plainHttp, setPlainHttp] = useState(false);
  const [ca, setCa] = useState<PickedFile | null>(null);
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [withDependencies, setWithDependencies] = useState(false);
  const [referenceError, setReferenceError] = useState<string | null>(null);
  const [error, setError] = useState<ContractError | null>(null);
  const [busy, setBusy] = useState(false);

  const pickCa = () => {
    setError(null);
    transport.pickFile('registry-ca', 'file').then(
      (picked) => {
        if (picked) setCa(picked);
      },
      (e: unknown) => setError(asContractError(e)),
    );
  };

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    const ref = reference.trim();
    const request = {
      kind: 'registry' as const,
      reference: ref.includes('://') || ref === '' ? ref : `oci://${ref}`,
      ...(plainHttp ? { plainHttp: true } : {}),
      ...(ca ? { ca: ca.token } : {}),
      ...(username ? { username } : {}),
      ...(password ? { password } : {}),
      ...(withDependencies ? { withDependencies: true } : {}),
    };
    const parsed = ImportSourceRequest.safeParse(request);
    if (!ref || !parsed.success) {
      setReferenceError(
        !ref
          ? 'Write the registry reference, e.g. oci://registry.plant.local:5000/apps/line-monitor:1.2.0'
          : (parsed.error?.issues[0]?.message ?? 'This is not a registry reference.'),
      );
      return;
    }
    if (!request.reference.startsWith('oci://')) {
      setReferenceError('A registry reference starts with oci://');
      return;
    }
    setReferenceError(null);
    setBusy(true);
    try {
      const jobId = await startImport([parsed.data]);
      setPassword('');
      onStarted(jobId);
    } catch (err) {
      setError(asContractError(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Paper variant="outlined" sx={{ p: 1.5 }}>
      <Box component="form" onSubmit={submit} noValidate data-testid={testIds.imports.registryForm}>
        <Typography variant="subtitle2" component="h3" gutterBottom>
          From the plant’s registry
        </Typography>
        <TextField
          label="Reference"
          placeholder="oci://registry.plant.local:5000/apps/line-monitor:1.2.0"
          value={reference}
          onChange={(e) => setReference(e.target.value)}
          fullWidth
          required
          error={referenceError !== null}
          helperText={
            referenceError ??
            'oci://host[:port]/repository[:tag] — without a tag, every tag is imported.'
          }
          slotProps={{
            htmlInput: { 'data-testid': testIds.imports.registryReference, spellCheck: false },
          }}
        />
        <Box sx={{ display: 'flex', gap: 1, mt: 1.5, flexWrap: 'wrap' }}>
          <TextField
            label="Username"
            value={username}
            onChange={(e) => setUsername(e.target.value)}
            autoComplete="username"
            sx={{ flex: '1 1 160px' }}
            slotProps={{ htmlInput: { 'data-testid': testIds.imports.registryUsername } }}
          />
          <TextField
            label="Password"
            type="password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            autoComplete="current-password"
            sx={{ flex: '1 1 160px' }}
            slotProps={{ htmlInput: { 'data-testid': testIds.imports.registryPassword } }}
          />
        </Box>
        <Box sx={{ display: 'flex', alignItems: 'center', gap: 1, mt: 1, flexWrap: 'wrap' }}>
          <Button variant="outlined" onClick={pickCa} data-testid={testIds.imports.registryCa}>
            {ca ? 'Change CA file…' : 'Trust a CA file…'}
          </Button>
          {ca && (
            <>
              <Typography variant="body2" data-testid={testIds.imports.registryCaName}>
                {ca.name}
              </Typography>
              <Button onClick={() => setCa(null)}>Remove</Button>
            </>
          )}
        </Box>
        <Box sx={{ display: 'flex', flexWrap: 'wrap' }}>
          <FormControlLabel
            control={
              <Checkbox
                checked={withDependencies}
                onChange={(e) => setWithDependencies(e.target.checked)}
                slotProps={{
                  input: { 'data-testid': testIds.imports.registryWithDependencies } as object,
                }}
              />
            }
            label="With dependencies (compose archives, Helm charts and their images)"
          />
          <FormControlLabel
            control={
              <Checkbox
                checked={plainHttp}
                onChange={(e) => setPlainHttp(e.target.checked)}
                slotProps={{
                  input: { 'data-testid': testIds.imports.registryPlainHttp } as object,
                }}
              />
            }
            label="Plain HTTP (a registry without TLS)"
          />
        </Box>
        {plainHttp && (
          <Alert severity="warning" sx={{ my: 1 }}>
            Plain HTTP sends the packages and the password unencrypted: use it only for a registry
            that has no TLS, on a network you trust.
          </Alert>
        )}
        {error && <ErrorAlert error={error} testId={testIds.imports.registryError} />}
        <Button
          type="submit"
          variant="contained"
          disabled={busy}
          data-testid={testIds.imports.registrySubmit}
          sx={{ mt: 1 }}
        >
          {busy ? 'Starting…' : 'Import from registry'}
        </Button>
      </Box>
    </Paper>
  );
}
