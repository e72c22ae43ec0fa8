import AddIcon from '@mui/icons-material/Add';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Paper from '@mui/material/Paper';
import Typography from '@mui/material/Typography';
import { useState } from 'react';
import { ErrorAlert } from '../../components/ErrorAlert';
import { onlyWho, whoMay } from '../../components/role-text';
import { FactList } from '../../components/FactList';
import { dateTime } from '../../format';
import { useApp } from '../../state/app-state';
import { useQuery } from '../../state/use-query';
import { testIds } from '../../test-ids';
import { MargoClientDialog } from './MargoClientDialog';
import { MargoClientList } from './MargoClientList';
import { MargoServingControls } from './MargoServingControls';

/**
 * Settings → Margo devices: onboarding a device from the app alone — serve the Workload
 * Management API, see the trust domain devices must trust (its CA fingerprint to compare),
 * add a client and hand its bundle over, watch its devices report in, revoke it.
 */
export function MargoSettings() {
  const { may } = useApp();
  const status = useQuery('margo.status', {}, { refreshOn: ['margo'] });
  const clients = useQuery('margo.clients', {}, { refreshOn: ['margo', 'devices'] });
  const [adding, setAdding] = useState(false);
  const [renewing, setRenewing] = useState<string | null>(null);
  const view = status.data;

  return (
    <Paper variant="outlined" sx={{ p: 1.5, mb: 2 }} data-testid={testIds.margo.section}>
      <Typography variant="subtitle2" component="h2">
        Margo devices
      </Typography>
      <Typography variant="body2" color="text.secondary" sx={{ mb: 1 }}>
        Margo devices call this computer for what to run (the Workload Management API, over mutual
        TLS) with a bundle made here for their client.
      </Typography>
      {status.error && <ErrorAlert error={status.error} testId={testIds.margo.statusError} />}
      {view && (
        <>
          <MargoServingControls view={view} onView={status.replace} />
          {view.trustDomain ? (
            <FactList
              facts={[
                {
                  label: 'Trust domain',
                  value: `${view.trustDomain.name}, since ${dateTime(view.trustDomain.createdAt)}`,
                  testId: testIds.margo.trustDomain,
                },
                {
                  label: 'CA fingerprint (SHA-256)',
                  value: view.trustDomain.caFingerprint,
                  testId: testIds.margo.caFingerprint,
                  mono: true,
                },
              ]}
            />
          ) : (
            <Typography
              variant="body2"
              color="text.secondary"
              data-testid={testIds.margo.noTrustDomain}
              sx={{ mb: 1 }}
            >
              No trust domain yet: the plant CA is made when serving starts or the first client is
              added, and stays for every device provisioned from this computer.
            </Typography>
          )}
          {view.expiring.length > 0 && (
            <Alert severity="warning" data-testid={testIds.margo.expiring} sx={{ mb: 1 }}>
              {view.expiring.map((c) => (
                <div key={c.what}>
                  The certificate of {c.what} {c.expired ? 'expired' : 'expires'}{' '}
                  {dateTime(c.notAfter)}:{' '}
                  {c.kind === 'client'
                    ? may('margo.renewClient')
                      ? 'renew it from its menu below and install the new bundle on the device.'
                      : `${whoMay('margo.renewClient')} renews it, and the new bundle is installed on the device.`
                    : c.kind === 'wfm'
                      ? 'a new one is made by itself while serving.'
                      : 'the trust domain needs a new CA before then; rotating it is done on the command line for now (see the README).'}
                </div>
              ))}
            </Alert>
          )}
        </>
      )}

      <Box sx={{ display: 'flex', alignItems: 'center', gap: 1, mt: 1 }}>
        <Typography variant="subtitle2" component="h3" sx={{ flex: 1 }}>
          Clients
        </Typography>
        {may('margo.addClient') && (
          <Button
            startIcon={<AddIcon />}
            onClick={() => setAdding(true)}
            disabled={!view}
            data-testid={testIds.margo.add}
          >
            Add client
          </Button>
        )}
      </Box>
      {clients.error && <ErrorAlert error={clients.error} testId={testIds.margo.clientsError} />}
      {clients.data && clients.data.length === 0 && (
        <Typography variant="body2" color="text.secondary" data-testid={testIds.margo.clientsEmpty}>
          {may('margo.addClient')
            ? 'No client yet. Add one, install its bundle on the device, and the device shows here and under Devices once it reports.'
            : `No client yet. ${onlyWho('margo.addClient', 'adds one')}`}
        </Typography>
      )}
      {clients.data && clients.data.length > 0 && (
        <MargoClientList
          clients={clients.data}
          onChanged={clients.reload}
          onRenew={(clientId) => setRenewing(clientId)}
        />
      )}
      {(adding || renewing !== null) && view && (
        <MargoClientDialog
          bundleUrl={view.bundleUrl}
          serving={view.serving !== null}
          {...(renewing !== null ? { renew: renewing } : {})}
          onClose={() => {
            setAdding(false);
            setRenewing(null);
          }}
          onAdded={() => {
            clients.reload();
            status.reload();
          }}
        />
      )}
    </Paper>
  );
}
