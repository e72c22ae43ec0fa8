import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Checkbox from '@mui/material/Checkbox';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import FormControl from '@mui/material/FormControl';
import FormControlLabel from '@mui/material/FormControlLabel';
import FormLabel from '@mui/material/FormLabel';
import Radio from '@mui/material/Radio';
import RadioGroup from '@mui/material/RadioGroup';
import TextField from '@mui/material/TextField';
import { useState, type FormEvent } from 'react';
import type { ContractError } from '../../../../shared/contract/contract-error';
import { TrustLevel } from '../../../../shared/contract/trust';
import {
  LEVEL_WORDS,
  type TrustEntryView,
  type TrustPolicyView,
} from '../../../../shared/contract/trust-store';
import { describeScope, parseScope } from '../../../../shared/trust/policy-scope';
import { ErrorAlert } from '../../components/ErrorAlert';
import { useApp } from '../../state/app-state';
import { asContractError } from '../../transport/contract-check';
import { testIds } from '../../test-ids';

const LEVEL_HELP: Record<TrustLevel, string> = {
  strict:
    'an unsigned artifact, or one whose signature does not verify, is not imported or deployed',
  audit: 'signatures are checked and the result recorded; problems are warnings',
  skip: 'signatures are not checked',
};

/** Setting the policy of a scope (a new one, or editing one: its scope then stays). */
export function TrustPolicyDialog({
  open,
  policy,
  entries,
  onClose,
  onSaved,
}: {
  open: boolean;
  /** null: a new policy. */
  policy: TrustPolicyView | null;
  entries: TrustEntryView[];
  onClose: () => void;
  onSaved: () => void;
}) {
  const { transport } = useApp();
  const [scope, setScope] = useState(policy?.scope ?? '');
  const [level, setLevel] = useState<TrustLevel>(policy?.level ?? 'strict');
  const [trustAll, setTrustAll] = useState(policy ? policy.trust === null : true);
  const [trusted, setTrusted] = useState<string[]>(policy?.trust ?? []);
  const [identities, setIdentities] = useState((policy?.identities ?? []).join('\n'));
  const [errors, setErrors] = useState<{ scope?: string; trust?: string }>({});
  const [failure, setFailure] = useState<ContractError | null>(null);
  const [busy, setBusy] = useState(false);

  const parsed = scope.trim() ? parseScope(scope) : null;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setFailure(null);
    const errs: typeof errors = {};
    if (!parsed) errs.scope = 'Write what the policy covers, e.g. * for everything';
    else if (!parsed.ok) errs.scope = parsed.message;
    if (!trustAll && trusted.length === 0) errs.trust = 'choose at least one entry, or every entry';
    setErrors(errs);
    if (Object.keys(errs).length > 0) return;
    setBusy(true);
    try {
      await transport.call('trust.setPolicy', {
        scope,
        level,
        trust: trustAll ? null : trusted,
        identities: identities
          .split('\n')
          .map((i) => i.trim())
          .filter(Boolean),
      });
      setBusy(false);
      onSaved();
    } catch (err) {
      setBusy(false);
      setFailure(asContractError(err));
    }
  };

  const toggle = (name: string, on: boolean) =>
    setTrusted((t) => (on ? [...t, name] : t.filter((n) => n !== name)));

  return (
    <Dialog
      open={open}
      onClose={busy ? undefined : onClose}
      data-testid={testIds.trust.policyDialog}
      maxWidth="sm"
      fullWidth
    >
      <form onSubmit={submit} noValidate>
        <DialogTitle>{policy ? `Policy for ${policy.scope}` : 'New trust policy'}</DialogTitle>
        <DialogContent sx={{ display: 'flex', flexDirection: 'column', gap: 1.5 }}>
          <TextField
            label="Applies to"
            value={scope}
            onChange={(e) => {
              setScope(e.target.value);
              setErrors((errs) => (errs.trust ? { trust: errs.trust } : {}));
            }}
            disabled={policy !== null}
            error={errors.scope !== undefined}
            helperText={
              errors.scope ??
              (parsed?.ok
                ? `Covers ${describeScope(parsed.scope)}`
                : '* for everything, an application id (com.acme.* for many), org:<organization>, or a registry/repository')
            }
            slotProps={{
              htmlInput: { 'data-testid': testIds.trust.policyScope, spellCheck: false },
            }}
            autoFocus={policy === null}
            margin="dense"
          />
          <FormControl>
            <FormLabel id="trust-policy-level-label">What happens</FormLabel>
            <RadioGroup
              aria-labelledby="trust-policy-level-label"
              value={level}
              onChange={(e) => setLevel(e.target.value as TrustLevel)}
              data-testid={testIds.trust.policyLevelField}
            >
              {TrustLevel.options.map((l) => (
                <FormControlLabel
                  key={l}
                  value={l}
                  control={
                    <Radio
                      slotProps={{
                        input: { 'data-testid': testIds.trust.policyLevelOption(l) } as object,
                      }}
                    />
                  }
                  label={`${LEVEL_WORDS[l]}: ${LEVEL_HELP[l]}`}
                />
              ))}
            </RadioGroup>
          </FormControl>
          <FormControl error={errors.trust !== undefined}>
            <FormLabel>Trusted entries</FormLabel>
            <FormControlLabel
              control={
                <Checkbox
                  checked={trustAll}
                  onChange={(e) => setTrustAll(e.target.checked)}
                  slotProps={{ input: { 'data-testid': testIds.trust.policyTrustAll } as object }}
                />
              }
              label="Every entry of the trust store"
            />
            {!trustAll && (
              <Box sx={{ pl: 3, display: 'flex', flexDirection: 'column' }}>
                {entries.map((entry) => (
                  <FormControlLabel
                    key={entry.name}
                    control={
                      <Checkbox
                        checked={trusted.includes(entry.name)}
                        onChange={(e) => toggle(entry.name, e.target.checked)}
                        slotProps={{
                          input: {
                            'data-testid': testIds.trust.policyTrustEntry(entry.name),
                          } as object,
                        }}
                      />
                    }
                    label={entry.name}
                  />
                ))}
                {errors.trust && (
                  <Box sx={{ color: 'error.main', fontSize: 12 }}>{errors.trust}</Box>
                )}
              </Box>
            )}
          </FormControl>
          <TextField
            label="Trusted signers (optional)"
            value={identities}
            onChange={(e) => setIdentities(e.target.value)}
            multiline
            minRows={2}
            helperText="One certificate subject a line, e.g. C=US, O=Acme, CN=Release Signing. Empty: any signer the trusted entries vouch for"
            slotProps={{
              htmlInput: { 'data-testid': testIds.trust.policyIdentities, spellCheck: false },
            }}
          />
          {failure && <ErrorAlert error={failure} testId={testIds.trust.policyError} />}
        </DialogContent>
        <DialogActions>
          <Button onClick={onClose} disabled={busy} data-testid={testIds.trust.policyCancel}>
            Cancel
          </Button>
          <Button
            type="submit"
            variant="contained"
            disabled={busy}
            data-testid={testIds.trust.policySubmit}
          >
            {busy ? 'Saving…' : 'Save policy'}
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
