import MoreVertIcon from '@mui/icons-material/MoreVert';
import IconButton from '@mui/material/IconButton';
import Menu from '@mui/material/Menu';
import MenuItem from '@mui/material/MenuItem';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import { useEffect, useState } from 'react';
import type { MargoClientView } from '../../../../shared/contract/margo';
import { ConfirmDialog } from '../../components/ConfirmDialog';
import { dateTime } from '../../format';
import { useApp } from '../../state/app-state';
import { testIds } from '../../test-ids';
import { clientStateWords, contactWords, revokeConsequences } from './margo-text';

/** How often "… ago" is redrawn. */
const REDRAW_MS = 15_000;

/**
 * The Margo clients: their state in words and colour, the devices each reported with when,
 * its last contact, its certificate's expiry where known; an actions menu per row (Renew…,
 * Revoke…) and the revoke confirmation that says what the device will experience.
 */
export function MargoClientList({
  clients,
  onChanged,
  onRenew,
}: {
  clients: MargoClientView[];
  onChanged: () => void;
  /** Opens the renewal of an accepted client (a new bundle; the old one stays valid). */
  onRenew: (clientId: string) => void;
}) {
  const { transport, may } = useApp();
  // Renew and Revoke are the menu's only items: no menu for a role refused both.
  const mayAct = may('margo.renewClient') || may('margo.revokeClient');
  const [now, setNow] = useState(() => Date.now());
  const [menu, setMenu] = useState<{ anchor: HTMLElement; client: MargoClientView } | null>(null);
  const [revoking, setRevoking] = useState<MargoClientView | null>(null);
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), REDRAW_MS);
    return () => clearInterval(timer);
  }, []);
  // Shown once the core knows certificate expiries (client renewal).
  const showExpiry = clients.some((c) => c.certificate !== null);

  return (
    <>
      <Table size="small" aria-label="Margo clients" data-testid={testIds.margo.clients}>
        <TableHead>
          <TableRow>
            <TableCell>Client</TableCell>
            <TableCell>State</TableCell>
            <TableCell>Devices</TableCell>
            <TableCell>Last contact</TableCell>
            {showExpiry && <TableCell>Certificate</TableCell>}
            {mayAct && <TableCell />}
          </TableRow>
        </TableHead>
        <TableBody>
          {clients.map((client) => (
            <TableRow
              key={client.clientId}
              data-testid={testIds.margo.client(client.clientId)}
              data-state={client.state}
            >
              <TableCell sx={{ fontFamily: 'monospace' }} title={client.spiffeId}>
                {client.clientId}
              </TableCell>
              <TableCell
                data-testid={testIds.margo.clientState(client.clientId)}
                sx={{ color: client.state === 'accepted' ? 'success.main' : 'error.main' }}
              >
                {client.state === 'accepted' ? '● ' : '○ '}
                {clientStateWords(client)}
              </TableCell>
              <TableCell data-testid={testIds.margo.clientDevices(client.clientId)}>
                {client.devices.length === 0 ? (
                  <Typography variant="body2" color="text.secondary">
                    none reported yet
                  </Typography>
                ) : (
                  client.devices.map((d) => (
                    <div key={d.name}>
                      {d.name}
                      <Typography
                        component="span"
                        variant="caption"
                        color="text.secondary"
                        title={d.lastReport ? dateTime(d.lastReport) : undefined}
                      >
                        {' '}
                        reported {contactWords(d.lastReport, now)}
                      </Typography>
                    </div>
                  ))
                )}
              </TableCell>
              <TableCell
                data-testid={testIds.margo.clientContact(client.clientId)}
                data-contact={client.lastContact ?? ''}
                title={client.lastContact ? dateTime(client.lastContact) : undefined}
              >
                {contactWords(client.lastContact, now)}
              </TableCell>
              {showExpiry && (
                <TableCell
                  data-testid={testIds.margo.clientExpiry(client.clientId)}
                  sx={{ color: client.certificate?.expiresSoon ? 'warning.main' : undefined }}
                >
                  {client.certificate
                    ? `${client.certificate.expiresSoon ? 'expires soon: ' : 'until '}${dateTime(client.certificate.notAfter)}`
                    : ''}
                </TableCell>
              )}
              {mayAct && (
                <TableCell align="right">
                  <IconButton
                    size="small"
                    aria-label={`Actions for ${client.clientId}`}
                    onClick={(e) => setMenu({ anchor: e.currentTarget, client })}
                    data-testid={testIds.margo.clientActions(client.clientId)}
                  >
                    <MoreVertIcon fontSize="small" />
                  </IconButton>
                </TableCell>
              )}
            </TableRow>
          ))}
        </TableBody>
      </Table>
      <Menu anchorEl={menu?.anchor ?? null} open={menu !== null} onClose={() => setMenu(null)}>
        <MenuItem
          disabled={menu?.client.state !== 'accepted' || !may('margo.renewClient')}
          onClick={() => {
            if (menu) onRenew(menu.client.clientId);
            setMenu(null);
          }}
          data-testid={menu ? testIds.margo.clientRenew(menu.client.clientId) : undefined}
        >
          Renew…
        </MenuItem>
        <MenuItem
          disabled={menu?.client.state !== 'accepted' || !may('margo.revokeClient')}
          onClick={() => {
            setRevoking(menu?.client ?? null);
            setMenu(null);
          }}
          data-testid={menu ? testIds.margo.clientRevoke(menu.client.clientId) : undefined}
        >
          Revoke…
        </MenuItem>
      </Menu>
      <ConfirmDialog
        open={revoking !== null}
        title={`Revoke client ${revoking?.clientId ?? ''}?`}
        confirmLabel="Revoke"
        testId={testIds.margo.revokeDialog}
        onClose={() => setRevoking(null)}
        onConfirm={async () => {
          if (!revoking) return;
          await transport.call('margo.revokeClient', { clientId: revoking.clientId });
          onChanged();
        }}
      >
        {revoking &&
          revokeConsequences(revoking).map((line) => (
            <Typography key={line} variant="body2" gutterBottom>
              {line}
            </Typography>
          ))}
      </ConfirmDialog>
    </>
  );
}
