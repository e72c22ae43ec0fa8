import AddIcon from '@mui/icons-material/Add';
import DeleteOutlinedIcon from '@mui/icons-material/DeleteOutlined';
import PasswordIcon from '@mui/icons-material/PasswordOutlined';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import IconButton from '@mui/material/IconButton';
import Paper from '@mui/material/Paper';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import { useState } from 'react';
import type { AccountView } from '../../../../shared/contract/accounts';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { ErrorAlert } from '../../components/ErrorAlert';
import { ROLE_LABEL } from '../../components/role-text';
import { dateTime } from '../../format';
import { useApp } from '../../state/app-state';
import { useQuery } from '../../state/use-query';
import { testIds } from '../../test-ids';
import { AccountDialog } from './AccountDialog';

/**
 * Settings → Accounts: who may log in to this browser host, with which role. Only for an
 * admin logged in to a host with accounts (the desktop app and a host without accounts have
 * no one to list); the core refuses the operations to anyone else anyway.
 */
export function AccountSettings() {
  const { session, may } = useApp();
  if (!session?.account || !may('users.list')) return null;
  return <AccountList me={session.account} />;
}

function AccountList({ me }: { me: string }) {
  const { transport } = useApp();
  const accounts = useQuery('users.list', {});
  /** undefined: closed; null: a new account. */
  const [editing, setEditing] = useState<AccountView | null | undefined>(undefined);
  const [removing, setRemoving] = useState<AccountView | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  return (
    <Paper variant="outlined" sx={{ p: 1.5, mb: 2 }} data-testid={testIds.accounts.section}>
      <Box sx={{ display: 'flex', alignItems: 'center', gap: 1 }}>
        <Typography variant="subtitle2" component="h2" sx={{ flex: 1 }}>
          Accounts
        </Typography>
        <Button
          startIcon={<AddIcon />}
          onClick={() => {
            setNotice(null);
            setEditing(null);
          }}
          data-testid={testIds.accounts.add}
        >
          Add account
        </Button>
      </Box>
      <Typography variant="body2" color="text.secondary" sx={{ mb: 1 }}>
        Who may log in to this computer from a browser. A viewer reads; an operator also imports and
        deploys; an admin also manages devices, trust, Margo clients, settings and accounts.
      </Typography>
      {notice && (
        <Alert
          severity="success"
          onClose={() => setNotice(null)}
          data-testid={testIds.accounts.notice}
          sx={{ mb: 1 }}
        >
          {notice}
        </Alert>
      )}
      {accounts.error && <ErrorAlert error={accounts.error} testId={testIds.accounts.error} />}
      {accounts.data && (
        <Table size="small" aria-label="Accounts" data-testid={testIds.accounts.list}>
          <TableHead>
            <TableRow>
              <TableCell>Name</TableCell>
              <TableCell>Role</TableCell>
              <TableCell>Added</TableCell>
              <TableCell>Password changed</TableCell>
              <TableCell />
            </TableRow>
          </TableHead>
          <TableBody>
            {accounts.data.map((account) => (
              <TableRow
                key={account.name}
                data-testid={testIds.accounts.row(account.name)}
                data-role={account.role}
              >
                <TableCell>
                  {account.name}
                  {account.name === me && (
                    <Typography component="span" variant="body2" color="text.secondary">
                      {' '}
                      (you)
                    </Typography>
                  )}
                </TableCell>
                <TableCell>{ROLE_LABEL[account.role]}</TableCell>
                <TableCell>{dateTime(account.createdAt)}</TableCell>
                <TableCell>{dateTime(account.passwordChangedAt)}</TableCell>
                <TableCell align="right" sx={{ whiteSpace: 'nowrap' }}>
                  <Tooltip title={`Change the password of ${account.name}`}>
                    <IconButton
                      size="small"
                      aria-label={`Change the password of ${account.name}`}
                      onClick={() => {
                        setNotice(null);
                        setEditing(account);
                      }}
                      data-testid={testIds.accounts.changePassword(account.name)}
                    >
                      <PasswordIcon fontSize="small" />
                    </IconButton>
                  </Tooltip>
                  {/* The core refuses an account removing itself: another admin removes it. */}
                  {account.name !== me && (
                    <Tooltip title={`Remove ${account.name}`}>
                      <IconButton
                        size="small"
                        aria-label={`Remove ${account.name}`}
                        onClick={() => {
                          setNotice(null);
                          setRemoving(account);
                        }}
                        data-testid={testIds.accounts.remove(account.name)}
                      >
                        <DeleteOutlinedIcon fontSize="small" />
                      </IconButton>
                    </Tooltip>
                  )}
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
      {editing !== undefined && (
        <AccountDialog
          {...(editing ? { account: editing, own: editing.name === me } : {})}
          onClose={() => setEditing(undefined)}
          onSaved={(saved) => {
            setNotice(
              editing
                ? `The password of ${saved.name} was changed.`
                : `${saved.name} was added as ${saved.role}.`,
            );
            setEditing(undefined);
            accounts.reload();
          }}
        />
      )}
      <ConfirmDialog
        open={removing !== null}
        title={`Remove ${removing?.name ?? ''}?`}
        confirmLabel="Remove account"
        testId={testIds.accounts.removeDialog}
        onClose={() => setRemoving(null)}
        onConfirm={async () => {
          if (!removing) return;
          await transport.call('users.remove', { name: removing.name });
          setNotice(`${removing.name} was removed.`);
          accounts.reload();
        }}
      >
        <Typography variant="body2">
          {removing?.name} can no longer log in, and is logged out wherever logged in now. What the
          account did stays in the audit trail.
        </Typography>
      </ConfirmDialog>
    </Paper>
  );
}
