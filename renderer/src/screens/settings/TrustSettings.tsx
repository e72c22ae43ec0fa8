import AddIcon from '@mui/icons-material/Add';
import DeleteOutlinedIcon from '@mui/icons-material/DeleteOutlined';
import EditOutlinedIcon from '@mui/icons-material/EditOutlined';
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
import {
  LEVEL_WORDS,
  type TrustEntryView,
  type TrustPolicyView,
} from '../../../../shared/contract/trust-store';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { ErrorAlert } from '../../components/ErrorAlert';
import { onlyWho } from '../../components/role-text';
import { useApp } from '../../state/app-state';
import { useQuery } from '../../state/use-query';
import { testIds } from '../../test-ids';
import { TrustEntryDialog } from './TrustEntryDialog';
import { TrustPolicyDialog } from './TrustPolicyDialog';
import {
  identitiesText,
  shortFingerprint,
  trustedText,
  TYPE_WORDS,
  validityText,
} from './trust-text';

/**
 * Settings → Trust: who this computer trusts to sign what it installs (the trust store), and
 * which signatures import and deploy require where (the policies, most specific first).
 */
export function TrustSettings() {
  const { transport, may } = useApp();
  const mayAdd = may('trust.add');
  const mayRemove = may('trust.remove');
  const maySetPolicy = may('trust.setPolicy');
  const mayRemovePolicy = may('trust.removePolicy');
  const entries = useQuery('trust.list', {}, { refreshOn: ['trust'] });
  const policies = useQuery('trust.policies', {}, { refreshOn: ['trust'] });
  const [adding, setAdding] = useState(false);
  const [removing, setRemoving] = useState<TrustEntryView | null>(null);
  /** undefined: closed; null: a new policy. */
  const [editing, setEditing] = useState<TrustPolicyView | null | undefined>(undefined);
  const [removingPolicy, setRemovingPolicy] = useState<TrustPolicyView | null>(null);
  const reload = () => {
    entries.reload();
    policies.reload();
  };

  return (
    <Paper variant="outlined" sx={{ p: 1.5, mb: 2 }} data-testid={testIds.trust.section}>
      <Typography variant="subtitle2" component="h2">
        Trust
      </Typography>
      <Typography variant="body2" color="text.secondary" sx={{ mb: 1 }}>
        Certificates, keys and trusted roots that signatures of packages, components and images are
        checked against, without reaching any online service.
        {!mayAdd && ` ${onlyWho('trust.add', 'changes what is trusted')}`}
      </Typography>

      <Box sx={{ display: 'flex', alignItems: 'center', gap: 1, mt: 1 }}>
        <Typography variant="subtitle2" component="h3" sx={{ flex: 1 }}>
          Trust store
        </Typography>
        {mayAdd && (
          <Button
            startIcon={<AddIcon />}
            onClick={() => setAdding(true)}
            data-testid={testIds.trust.add}
          >
            Add
          </Button>
        )}
      </Box>
      {entries.error && <ErrorAlert error={entries.error} testId={testIds.trust.entriesError} />}
      {entries.data && entries.data.length === 0 && (
        <Typography variant="body2" color="text.secondary" data-testid={testIds.trust.entriesEmpty}>
          Nothing is trusted yet.
          {mayAdd && ' Add the certificate authority your suppliers sign with.'}
        </Typography>
      )}
      {entries.data && entries.data.length > 0 && (
        <Table size="small" aria-label="Trust store" data-testid={testIds.trust.entries}>
          <TableHead>
            <TableRow>
              <TableCell>Name</TableCell>
              <TableCell>Kind</TableCell>
              <TableCell>Subject</TableCell>
              <TableCell>Valid</TableCell>
              <TableCell>Fingerprint</TableCell>
              <TableCell />
            </TableRow>
          </TableHead>
          <TableBody>
            {entries.data.map((entry) => (
              <TableRow key={entry.name} data-testid={testIds.trust.entry(entry.name)}>
                <TableCell>{entry.name}</TableCell>
                <TableCell>{TYPE_WORDS[entry.type].label}</TableCell>
                <TableCell sx={{ wordBreak: 'break-word' }}>
                  {entry.subjects[0] ?? ''}
                  {entry.subjects.length > 1 && (
                    <Tooltip title={entry.subjects.slice(1).join('\n')}>
                      <Typography component="span" variant="body2" color="text.secondary">
                        {' '}
                        and {entry.subjects.length - 1} more
                      </Typography>
                    </Tooltip>
                  )}
                </TableCell>
                <TableCell>{validityText(entry)}</TableCell>
                <TableCell sx={{ fontFamily: 'monospace', whiteSpace: 'nowrap' }}>
                  <Tooltip title={entry.fingerprint}>
                    <span>{shortFingerprint(entry.fingerprint)}</span>
                  </Tooltip>
                </TableCell>
                <TableCell align="right">
                  {mayRemove && (
                    <Tooltip title={`Remove ${entry.name}`}>
                      <IconButton
                        size="small"
                        aria-label={`Remove ${entry.name}`}
                        onClick={() => setRemoving(entry)}
                        data-testid={testIds.trust.entryRemove(entry.name)}
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

      <Box sx={{ display: 'flex', alignItems: 'center', gap: 1, mt: 2 }}>
        <Typography variant="subtitle2" component="h3" sx={{ flex: 1 }}>
          Policies
        </Typography>
        {maySetPolicy && (
          <Button
            startIcon={<AddIcon />}
            onClick={() => setEditing(null)}
            data-testid={testIds.trust.setPolicy}
          >
            New policy
          </Button>
        )}
      </Box>
      {policies.error && <ErrorAlert error={policies.error} testId={testIds.trust.policiesError} />}
      {policies.data && policies.data.length === 0 && (
        <Typography
          variant="body2"
          color="text.secondary"
          data-testid={testIds.trust.policiesEmpty}
        >
          No policy: signatures are not required at import or deploy.
          {maySetPolicy && ' Add one for * to require them everywhere.'}
        </Typography>
      )}
      {policies.data && policies.data.length > 0 && (
        <Table size="small" aria-label="Trust policies" data-testid={testIds.trust.policies}>
          <TableHead>
            <TableRow>
              <TableCell>Applies to</TableCell>
              <TableCell>What happens</TableCell>
              <TableCell>Trusted entries</TableCell>
              <TableCell>Trusted signers</TableCell>
              <TableCell />
            </TableRow>
          </TableHead>
          <TableBody>
            {policies.data.map((policy) => (
              <TableRow key={policy.scope} data-testid={testIds.trust.policy(policy.scope)}>
                <TableCell sx={{ fontFamily: 'monospace' }}>{policy.scope}</TableCell>
                <TableCell data-testid={testIds.trust.policyLevel(policy.scope)}>
                  {LEVEL_WORDS[policy.level]}
                </TableCell>
                <TableCell>{trustedText(policy)}</TableCell>
                <TableCell sx={{ wordBreak: 'break-word' }}>{identitiesText(policy)}</TableCell>
                <TableCell align="right" sx={{ whiteSpace: 'nowrap' }}>
                  {maySetPolicy && (
                    <Tooltip title="Edit">
                      <IconButton
                        size="small"
                        aria-label={`Edit the policy for ${policy.scope}`}
                        onClick={() => setEditing(policy)}
                        data-testid={testIds.trust.policyEdit(policy.scope)}
                      >
                        <EditOutlinedIcon fontSize="small" />
                      </IconButton>
                    </Tooltip>
                  )}
                  {mayRemovePolicy && (
                    <Tooltip title="Remove">
                      <IconButton
                        size="small"
                        aria-label={`Remove the policy for ${policy.scope}`}
                        onClick={() => setRemovingPolicy(policy)}
                        data-testid={testIds.trust.policyRemove(policy.scope)}
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

      {adding && (
        <TrustEntryDialog
          open
          onClose={() => setAdding(false)}
          onSaved={() => {
            setAdding(false);
            reload();
          }}
        />
      )}
      {editing !== undefined && (
        <TrustPolicyDialog
          open
          policy={editing}
          entries={entries.data ?? []}
          onClose={() => setEditing(undefined)}
          onSaved={() => {
            setEditing(undefined);
            reload();
          }}
        />
      )}
      <ConfirmDialog
        open={removing !== null}
        title={`Remove ${removing?.name ?? ''}?`}
        confirmLabel="Remove"
        testId={testIds.trust.removeDialog}
        onClose={() => setRemoving(null)}
        onConfirm={async () => {
          if (!removing) return;
          await transport.call('trust.remove', {
            name: removing.name,
            dropFromPolicies: removing.usedBy.length > 0,
          });
          reload();
        }}
      >
        {removing && removing.usedBy.length > 0 ? (
          <Typography variant="body2" data-testid={testIds.trust.removeUsedBy}>
            The policies for {removing.usedBy.join(', ')} trust {removing.name}. It will be dropped
            from them; a policy left with no trusted entry lets no signature verify.
          </Typography>
        ) : (
          <Typography variant="body2">
            Signatures that only {removing?.name} vouches for will no longer verify.
          </Typography>
        )}
      </ConfirmDialog>
      <ConfirmDialog
        open={removingPolicy !== null}
        title={`Remove the policy for ${removingPolicy?.scope ?? ''}?`}
        confirmLabel="Remove policy"
        testId={testIds.trust.policyRemoveDialog}
        onClose={() => setRemovingPolicy(null)}
        onConfirm={async () => {
          if (!removingPolicy) return;
          await transport.call('trust.removePolicy', { scope: removingPolicy.scope });
          reload();
        }}
      >
        <Typography variant="body2">
          What it covers falls to the next most specific policy, or to no check at all.
        </Typography>
      </ConfirmDialog>
    </Paper>
  );
}
