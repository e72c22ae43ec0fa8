import Button from '@mui/material/Button';
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
import Typography from '@mui/material/Typography';
import { useState, type FormEvent } from 'react';
import {
  AccountName,
  MIN_PASSWORD_LENGTH,
  Password,
  type AccountView,
} from '../../../../shared/contract/accounts';
import type { ContractError } from '../../../../shared/contract/contract-error';
import { Role, ROLE_WORDS } from '../../../../shared/contract/roles';
import { ErrorAlert } from '../../components/ErrorAlert';
import { ROLE_LABEL } from '../../components/role-text';
import { capitalized } from '../../format';
import { useApp } from '../../state/app-state';
import { asContractError } from '../../transport/contract-check';
import { testIds } from '../../test-ids';

type Problems = { name?: string; password?: string; again?: string };

/** The first of the contract's complaints about a value, as a sentence; undefined when it is fine. */
function problemOf(schema: typeof AccountName | typeof Password, value: string) {
  const parsed = schema.safeParse(value);
  return parsed.success ? undefined : capitalized(parsed.error.issues[0]?.message ?? 'not valid');
}

/**
 * Adds an account (name, role, password typed twice), or, given `account`, sets a new
 * password for it. Checks what the contract checks before asking the core, which checks again.
 */
export function AccountDialog({
  account,
  own,
  onClose,
  onSaved,
}: {
  /** The account whose password changes; none: a new account. */
  account?: AccountView;
  /** The account is the one logged in here: its session ends with the old password. */
  own?: boolean;
  onClose: () => void;
  onSaved: (saved: AccountView) => void;
}) {
  const { transport } = useApp();
  const adding = account === undefined;
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('operator');
  const [password, setPassword] = useState('');
  const [again, setAgain] = useState('');
  const [problems, setProblems] = useState<Problems>({});
  const [failure, setFailure] = useState<ContractError | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setFailure(null);
    const found: Problems = {};
    if (adding) {
      found.name = name === '' ? 'Give the account a name, e.g. ana' : problemOf(AccountName, name);
    }
    found.password =
      password === ''
        ? `Type a password of at least ${MIN_PASSWORD_LENGTH} characters`
        : problemOf(Password, password);
    if (!found.password && again !== password) found.again = 'The two passwords differ';
    const shown = Object.fromEntries(
      Object.entries(found).filter(([, v]) => v !== undefined),
    ) as Problems;
    setProblems(shown);
    if (Object.keys(shown).length > 0) return;
    setBusy(true);
    try {
      const saved = adding
        ? await transport.call('users.add', { name, role, password })
        : await transport.call('users.setPassword', { name: account.name, password });
      setBusy(false);
      onSaved(saved);
    } catch (err) {
      setBusy(false);
      setFailure(asContractError(err));
    }
  };

  return (
    <Dialog
      open
      onClose={busy ? undefined : onClose}
      data-testid={testIds.accounts.dialog}
      maxWidth="sm"
      fullWidth
    >
      <form onSubmit={submit} noValidate>
        <DialogTitle>{adding ? 'Add an account' : `New password for ${account.name}`}</DialogTitle>
        <DialogContent sx={{ display: 'flex', flexDirection: 'column', gap: 1.5 }}>
          {adding && (
            <>
              <TextField
                label="Name"
                value={name}
                onChange={(e) => setName(e.target.value)}
                error={problems.name !== undefined}
                helperText={
                  problems.name ??
                  'What the person types to log in: lower-case letters, digits, dots or dashes'
                }
                slotProps={{
                  htmlInput: { 'data-testid': testIds.accounts.name, autoComplete: 'off' },
                }}
                autoFocus
                margin="dense"
              />
              <FormControl>
                <FormLabel id="account-role-label">Role</FormLabel>
                <RadioGroup
                  aria-labelledby="account-role-label"
                  value={role}
                  onChange={(e) => setRole(Role.parse(e.target.value))}
                  data-testid={testIds.accounts.role}
                >
                  {Role.options.map((r) => (
                    <FormControlLabel
                      key={r}
                      value={r}
                      control={
                        <Radio
                          slotProps={{
                            input: { 'data-testid': testIds.accounts.roleOption(r) } as object,
                          }}
                        />
                      }
                      label={
                        <span>
                          {ROLE_LABEL[r]}
                          <Typography component="span" variant="body2" color="text.secondary">
                            {' '}
                            — {ROLE_WORDS[r]}
                          </Typography>
                        </span>
                      }
                    />
                  ))}
                </RadioGroup>
              </FormControl>
            </>
          )}
          <TextField
            label={adding ? 'Password' : 'New password'}
            type="password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
            error={problems.password !== undefined}
            helperText={problems.password ?? `At least ${MIN_PASSWORD_LENGTH} characters`}
            slotProps={{
              htmlInput: { 'data-testid': testIds.accounts.password, autoComplete: 'new-password' },
            }}
            autoFocus={!adding}
            margin="dense"
          />
          <TextField
            label="The password again"
            type="password"
            value={again}
            onChange={(e) => setAgain(e.target.value)}
            error={problems.again !== undefined}
            helperText={problems.again ?? ' '}
            slotProps={{
              htmlInput: {
                'data-testid': testIds.accounts.passwordAgain,
                autoComplete: 'new-password',
              },
            }}
            margin="dense"
          />
          <Typography variant="body2" color="text.secondary">
            {adding
              ? 'Give the person the password in person; they log in with it at this address.'
              : own
                ? 'You are logged in as this account: once it is changed, log in again with the new password.'
                : `Whoever is logged in as ${account.name} is logged out and logs in with the new password.`}
          </Typography>
          {failure && <ErrorAlert error={failure} testId={testIds.accounts.dialogError} />}
        </DialogContent>
        <DialogActions>
          <Button onClick={onClose} disabled={busy} data-testid={testIds.accounts.cancel}>
            Cancel
          </Button>
          <Button
            type="submit"
            variant="contained"
            disabled={busy}
            data-testid={testIds.accounts.submit}
          >
            {busy ? 'Saving…' : adding ? 'Add account' : 'Change password'}
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}
